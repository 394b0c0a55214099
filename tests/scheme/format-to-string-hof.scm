;; format to #f inside a procedure that map calls, on values of mixed
;; kinds (compiled: the text procedure for every kind).
(define (label x) (format #f "<~a>" x))
(display (map label (list 1 'two "three" #\4)))
(newline)
(define (csv l)
  (call-with-output-string
   (lambda (port) (for-each (lambda (x) (write x port) (display "," port)) l))))
(display (csv (list 1 "two" #\3 'four (vector 5))))
(newline)
(define (numbers n)
  (call-with-output-string
   (lambda (p) (for-each (lambda (i) (display i p) (display " " p)) (iota n)))))
(write (numbers 4)) (newline)
(write (call-with-output-string (lambda (p) (write (list 1 "a" #\b 'c) p)))) (newline)
