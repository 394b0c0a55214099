;;; expect: error
;; a program that checks its own input and calls error with irritants.
(define (checked-sqrt n)
  (if (< n 0) (error "negative argument:" n)
      (let loop ((r 0)) (if (> (* (+ r 1) (+ r 1)) n) r (loop (+ r 1))))))
(display (checked-sqrt 50)) (newline)
(display (checked-sqrt -4)) (newline)
