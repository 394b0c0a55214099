;; the extended Euclidean algorithm with a named let carrying six
;; values, and modular inverses checked by multiplying back.
(define (inverse a m)
  (let loop ((r0 m) (r1 (modulo a m)) (t0 0) (t1 1))
    (if (= r1 0)
        (if (= r0 1) (modulo t0 m) #f)
        (let ((q (quotient r0 r1)))
          (loop r1 (- r0 (* q r1)) t1 (- t0 (* q t1)))))))
(define (try a m)
  (let ((x (inverse a m)))
    (display a) (display " mod ") (display m) (display ": ")
    (if x
        (begin (display x) (display " check ") (display (modulo (* a x) m)))
        (display "none"))
    (newline)))
(try 3 11) (try 10 17) (try -3 11) (try 6 9) (try 1 2) (try 12345 46337) (try -46000 46337)
