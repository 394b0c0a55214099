;; the text of values of every kind written into string ports and by
;; format to #f: escapes of strings, characters and symbols, nested lists,
;; dotted lists and vectors, through one procedure (values of mixed kinds)
;; and through procedures that see one kind only
(define (written x) (call-with-output-string (lambda (p) (write x p))))
(define (displayed x) (call-with-output-string (lambda (p) (display x p))))
(define values-of-kinds
  (list 0 -7 123456 "" "plain" "a\\b\"c" #\a #\space #\~ #t #f '()
        'sym (string->symbol "a b") (string->symbol "") (string->symbol "+1")
        '(1 "two" #\3 four) '(1 . 2) '(a (b (c . d)) . e) (vector) (vector 1 "x" #\y '(z))
        (list (vector) '() "") (if #f #f)))
(for-each (lambda (x) (display (written x)) (display " | ") (display (displayed x)) (newline))
          values-of-kinds)
(define (symbol-text s) (format #f "~s/~a" s s))
(for-each (lambda (s) (display (symbol-text s)) (newline))
          (map string->symbol '("" "." "+i" "-i" "1a" "+1" "-.5" ".5" "+." "+.a" "a b" "a#" "#a"
                                "x(y" "q\"" "s;" "'x" "`y" ",z" "ok" "+" "-" "..." "a{b}c" "[d]")))
(define (char-text c) (format #f "~s " c))
(for-each (lambda (k) (display (char-text (integer->char k))))
          '(0 1 7 8 9 11 12 13 27 31 32 33 65 126 127))
(newline)
(define (string-text s) (format #f "~s" s))
(display (string-text (list->string (map integer->char (iota 128))))) (newline)
(define (written-only x) (call-with-output-string (lambda (p) (write x p))))
(for-each (lambda (x) (display (written-only x)) (newline))
          (list (list->string (map integer->char (iota 32))) (string #\x7f #\" #\\ #\a)
                #\nul #\x7f 'x (list #\tab "\t" (string->symbol "\t"))))
(define (int-text n) (format #f "[~a]" n))
(display (map int-text '(0 -1 42 -2147483647))) (newline)
