;; test-differential --all --structured --run-seed 0xc6923b2a3bcadf4a (soak
;; seed 20261207), reduced by hand: f8's result (a symbol) is also the
;; vector f8 fills with g6, so the class of (f10 -2) holds vectors of
;; itself; the kind report of >= gave up on it (mreport.c printable) and
;; the compiled text lacked ", not a symbol (a)".
(define g6 'e)
(define (f8 p12) (vector-fill! p12 g6) g6)
(define (f10 p39) (f8 (if #t (make-vector 5 0) (f8 (vector 1)))))
(define (f11) (set! g6 'a))
(f11)
(define (f9 p23) (if (>= (f10 -2) 2) 'd 1))
(f9 -6)
