;; values of mixed kinds written into one string port from for-each's lambda
(define (show-all l)
  (let ((p (open-output-string)))
    (for-each (lambda (x) (write x p) (display " " p)) l)
    (get-output-string p)))
(display (show-all (list 1 "a" #\b 'c (list 2 "x") #f)))
(newline)
