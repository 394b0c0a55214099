;; test-differential --run-seed 0xfd30ff61b483cc94 (fixed-seed program 2379 of 6fbf02a):
;; killed by its CPU limit in CI. Forms of f4 and f6, each with list-library
;; calls inlined many times, made models of 1.1e9 weights (211 s); now refused
;; past WEIGHTS_MAX (backend/gates.h) in 4 s.
(deftable t1 (3 46341) (6 2) (else -10))
(deftable t2 (-2 439) (0 -538) (2 4))
(define g3 -3)
(define-syntax mac-inc (syntax-rules () ((_ x) (+ x 1))))
(define-syntax mac-ifnot (syntax-rules () ((_ c a b) (if c b a))))
(define-syntax mac-sum (syntax-rules () ((_ x ...) (+ 0 x ...))))
(define-syntax mac-pick (syntax-rules (first second) ((_ first a b) a) ((_ second a b) b)))
(define-syntax mac-swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(extern c-abs9 "libc" "abs" (int32) int32)
(define (f4 p11 p12) (if (and (not (f6 -2147483647 #t p12)) (f6 (cond (#t p12) (#f p12) (else -9)) (case 1 ((-3) #t) ((-5 -3 -2) #t) (else #t)) -212)) (- (logxor (- 10 -4) (t2 2)) 99999) (cond ((not (let ((r13 #f)) (unless #t (set! r13 #t)) r13)) (f6 (if #t 298 lg10) (f6 g3 #t 9) 174)) (else #f))))
(define (f5 p14 p15 p16) (define w17 (cond ((< (case lg10 ((2 -5) 851) (else lg10)) (letrec ((la18 lg10) (lb19 (+ la18 5))) 8) (t2 -2)) (+ (let ((r24 -2)) (when p15 (set! r24 g3)) r24) (- -1073741824 -7))) (#t (case (cond (p15 g3) (p15 lg10) (p15 -3) (else g3)) ((-4 -3) (quotient 4 g3)) ((-5 3) (abs 99999)) ((5) (f7)) (else (f4 'f -808)))) (else (if (f6 lg10 p15 46341) g3 -7)))) 490)
(define (f6 p26 p27 p28) (> (length (append '(#t . 3) (list (list 3 6) (modulo 3 lg10) (list 1 7) (list 8 1)))) (* p26 (let ((r29 (- p28 9))) (when p27 (set! r29 (quotient -9 (max -9 (min 9 lg10))))) r29))))
(mac-inc (+ (remainder (remainder g3 7) (max -9 (min 9 lg10))) lg10))
(define lg10 -10)
(define f7 (lambda () (- (- 9 1) -10)))
(define (f8 p30 p31) (remainder (t2 (if (let* ((x32 -222) (x33 g3) (x34 p30)) p30) (cond (#t lg10) (p30 -65536) (else g3)) lg10)) (max -9 (min 9 g3))))
(f6 -656 #f 8)
(- (min (remainder (f4 'a 5) 7) (case (f4 'e -818) ((1 -4) 984) ((-3 2) (let ((x35 'e) (x36 6)) x36)) ((-2 5) (f8 #f #t)) (else (f8 #t #f))) (if (> 1 -115) g3 2)) 7)
(let* ((x37 (- (- (if #t 'c 67) 775)))) (and (case (vector-ref (vector 1 2) 2) ((3 5 -3) (not (< -4 0))) (else #f))))
-6
(lognot (- (cond ((f6 g3 #f 6) (- -2147483648 10)) ((cond (#t #f) (else #f)) (- -9 2)) (else (let ((z38 'b)) (+ z38 9)))) -9))
(let ((r39 (modulo (- (- g3 -1) -9) (max -9 (min 9 g3))))) (unless (f6 (char->integer (if #t #\9 #\;)) (<= (1- g3) (if #t g3 g3)) (min (- lg10 8) (- -65536) (f5 'f #t 'a))) (set! r39 -10)) r39)
(- (cond ((if #t (eq? #f #f) (quote #t)) (- (let ((x40 -4) (x41 #t)) 908) 2)) ((<= (- 17 46341) g3 lg10) (t2 0)) (else (let ((x42 (expt 3 46341))) (gcd lg10)))) -7)
(f8 #t #f)
'e
