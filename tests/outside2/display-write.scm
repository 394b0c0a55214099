;; display versus write on many kinds of data
(define things
  (list "hello" #\a #\space 'sym 42 -7 #t #f '() '(1 . 2) '(1 2 . 3)
        (list "a" #\b 'c) (vector 1 "two" #\3) '(quote x) "tab\there" "q\"uote"
        "back\\slash" '((a . b) (c . d)) (cons '() '())))
(for-each (lambda (x) (display x) (display " | ") (write x) (newline)) things)
