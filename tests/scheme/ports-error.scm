;; A program with output to (current-error-port) on a path it does not
;; take runs compiled too; force-output does nothing; list-set! gives the
;; value it stores.  (Text written to the error port is tested in
;; tests/golden/error-port.tvltest: this harness wants stderr empty.)
(define (warn . xs)
  (for-each (lambda (x) (display x (current-error-port))) xs)
  (newline (current-error-port)))
(define (checked-div a b)
  (if (= b 0)
      (begin (warn "division by zero: " a) 0)
      (quotient a b)))
(display "out 1") (newline)
(display (checked-div 10 3)) (newline)
(force-output)
(display "out 2") (newline)
(force-output (current-output-port))
(write (list-set! (list 1 2 3) 1 'x)) (newline)
(display force-output) (newline)
