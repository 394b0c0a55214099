;; test-differential --all --run-seed 0x02722e38a76264fa (generator of d0a91ef): ran for
;; more than 100 s. A value that inlining shares between the arms of nested
;; selects made exponentially long shapes in the IR listing (lang/ir-share.c,
;; which now numbers them) and in the machine compiler's memo (backend/mexpr.c,
;; which now refuses a form past SHAPE_WORK_MAX): 3 s.
(deftable t1 (e #t) (c #t))
(define g2 'c)
(define g3 7)
(define (f4 p8) (define w9 (- (- (f6) -2) (remainder (if #f 5 2147483647) 2147483647) (modulo (- 6 6) (max -9 (min 9 g3))))) (if (let ((h11 (lambda (y12) #f))) (h11 (- (* -9 -1) 0))) (modulo (remainder (* 9 10) 10) 0) 8))
(define (f5 p14 p15) (case (if (if (<= g3 449) (or #f #t #t) (= -8 -1073741824)) (* (- -7 g3) (let* ((x16 1073741824)) 0)) (cond ((< 0 65536) (let* ((x17 'e) (x18 #t)) -9)) ((< 2 9) (case p15 ((1 -3) 3) ((2 0 -4) g3) ((-5 -1 3) g3) (else g3))) ((case p15 ((0 -1 0) #f) ((-4 -3) #f) (else #t)) g3) (else 9))) ((2 2) -5) ((-5 2) -10) ((-2) g3) (else 1)))
(define (f6) (if (cond ((or (= 6 g3)) '#f) ((f7 (f5 'e 4) (if #t #t #t) (f5 g2 530))) (else (let ((x19 (* 3 g3))) (>= g3 10 x19)))) undefined-x2 (case 3 ((4 -2) (f5 'c (quotient g3 635))) ((-3 3) 2) ((3 -2 3) (let ((r20 -6)) (unless (let ((r21 #t)) (when #t (set! r21 #t)) r21) (set! r20 1)) r20)) (else 46341))))
(define (f7 p22 p23 p24) (< (- (case -7 ((4) (expt -2 0)) ((4 3 5) (* 2 -1 p22)) ((1) (if p23 p22 -46341)) (else p24)) 6) (f5 g2 p22) (- -3 5)))
(not (<= (if (eq? 'f g2) (logxor 2147483647 508) (let ((r25 g3)) (when #t (set! r25 2)) r25)) (- (f4 g3) 6) (+ (- -7 -1073741824) (+ -1 -7 -10))))
(- (* (if (< g3 g3) 3 (if #f -7 6)) (- g3 -4)) -2147483648)
(string? (f4 (- (logior g3 -5) 3)))
(if (< (if (eq? 'b 'e) (remainder g3 (max -9 (min 9 g3))) (if #t -6 g3)) (min (- g3) (case g3 ((-5 2 -1) 8) ((-2 4 3) g3) ((3 3) g3) (else -1))) (let* ((x26 (let ((r27 g3)) (unless #t (set! r27 g3)) r27)) (x28 g2)) (- x26 740))) (if #f #f #f) #f)
(let ((r29 (- (let ((x30 (let ((r31 g2)) (when #t (set! r31 g2)) r31)) (x32 666)) (- g3 -2147483648))))) (when (= g3 (- (abs -4) 10)) (set! r29 (- (- (- g3 46340) -647)))) r29)
(modulo (let* ((x33 1073741824) (x34 -8) (x35 (cond ((zero? x34) (case x33 ((1 5 0) g3) ((-1) x34) ((3) 1) (else -3))) (else (if #f x34 g3))))) (logxor (- x35 -2) -922)) 65536)
g3
(f6)
