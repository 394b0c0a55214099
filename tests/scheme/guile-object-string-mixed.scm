;; object->string of values of several kinds passed through one lambda
(define (pad-left s n) (if (< (string-length s) n) (pad-left (string-append " " s) n) s))
(for-each (lambda (x) (display (pad-left (object->string x) 8)) (newline)) '(1 22 "abc" #\x))
