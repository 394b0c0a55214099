;;; expect: error
;; A handler (without #:unwind?) that returns from an error: Guile then
;; raises a &non-continuable, an error that stops the program after what
;; the handler printed (tvl: an error at with-exception-handler).
(display (call/cc (lambda (k) (with-exception-handler (lambda (e) (k 'escaped))
                                (lambda () (vector-ref (vector) 0))))))
(newline)
(display (with-exception-handler (lambda (e) (display "handled ") 'returned)
  (lambda () (+ 1 (error "boom" 1)))))
(newline)
(display "not reached")
