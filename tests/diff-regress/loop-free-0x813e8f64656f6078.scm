;; test-differential --all --run-seed 0x813e8f64656f6078 (make check's fixed-seed run
;; of 8d87581): (list lg6 (quote ()) lg6) with lg6 not yet defined reported the
;; unbound variable at the last lg6, the evaluator at the first (the pairs of a
;; list are made from the last operand; its errors now come after the others).
(deftable t1 (e 2147483647) (b -7))
(define-syntax mac-inc (syntax-rules () ((_ x) (+ x 1))))
(define-syntax mac-ifnot (syntax-rules () ((_ c a b) (if c b a))))
(define-syntax mac-sum (syntax-rules () ((_ x ...) (+ 0 x ...))))
(define-syntax mac-pick (syntax-rules (first second) ((_ first a b) a) ((_ second a b) b)))
(define-syntax mac-swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define (f2) (expt (f3 (logxor (let ((x7 'c) (x8 lg6)) 6) (* 911 lg6))) 2))
(f2)
(define (f3 p9) (mac-pick second (+ (max (expt 1 0) (if #t -793 -5) (t1 'c)) (- (let* ((x10 'e)) -3) 9) p9) lg6))
(define (f4 p11) (case (quotient '1 (max -9 (min 9 lg6))) ((5 5) p11) (else (f3 (+ (let ((h12 (lambda (y13) -10))) (h12 -1073741824)) (if #t lg6 lg6))))))
(- (* (cadr (cons -10 (list lg6 '() lg6))) (quotient (f4 495) (* 1 -10))) 845)
(define lg6 -5)
(define (f5 p15) (f3 (- (lognot 10) -9)))
'b
#t
(let* ((x16 (if #t (min (+ -10 lg6) (if #f 8 7) (let ((r17 lg6)) (unless #f (set! r17 -7)) r17)) lg6))) -10)
(- (- (logand (max lg6) (+ lg6 103)) -4) -546)
(define (f5 p18) (- (- lg6 -1) -2))
(f5 'f)
(f5 'f)
(f2)
(if (let ((r19 (<= (if #t 10 10) (- lg6 0)))) (when #t (set! r19 #t)) r19) (f2) 161)
(f3 1)
