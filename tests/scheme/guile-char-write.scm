;; write of characters: a combining mark after a dotted circle, one that
;; cannot be seen in octal; inside strings as Guile writes them.
(for-each (lambda (cp) (write (integer->char cp)) (newline))
  '(768 770 803 1155 1425 2364 6832 7616 8400 65056 119141 917760
    173 160 8203 8232 65279 888 57344 1114111 127744 955 9676 6158 1564))
(for-each (lambda (cp) (write (string #\a (integer->char cp))) (newline))
  '(768 173 160 8203 8232 65279 888 57344 1114111 127 133 6158))
