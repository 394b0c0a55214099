;;; expect: error
;; string-join of a list holding something other than a string is an
;; error, after the output before it (compiled as in the evaluator).
(define (pieces n) (if (= n 0) (list 7) (cons (number->string n) (pieces (- n 1)))))
(format #t "~a~%" (string-join (list "a" (string #\b)) "-"))
(write (string-join (pieces 2) ","))
(newline)
