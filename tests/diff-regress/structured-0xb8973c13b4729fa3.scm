;; test-differential --all --structured --run-seed 0xb8973c13b4729fa3, in check mode
;; (make check's fixed-seed run of 8d87581): a quasiquote that expands to
;; append is refused before compiling ("lists are not compiled"); check mode
;; failed with that error instead of reporting the refusal as a difference and
;; running the evaluator (lib/session.c, session_check_refused).
(deftable t1 (e #f) (c #f) (f #t) (a #t))
(define v2 (make-vector 6 -344))
(define v3 (make-vector 5 #t))
(define v4 (make-vector 3 'e))
(define v5 (vector -2 1000000 -8))
(define g6 -5)
(define g7 9)
(define v8 (make-vector 2 1))
(extern c-abs15 "libc" "abs" (int32) int32)
(define (f9 p17) (if (<= p17 0) (if #f (if (> g6 lg16) (let ((x18 -6)) g6) -143) (min g7 (- -195 255))) (* (f9 (- p17 1)) 6)))
(if (case (cond ((> -647 g6 g7) -4) ((cond (#f #f) (else #f)) (f9 -1)) (else (logior g7 lg16))) ((2 0) (letrec* ((la19 (do ((i23 0 (+ i23 1)) (a24 g7 (min a24 -46341))) ((>= i23 (min 6 (vector-length v4))) a24) (set! lg16 (f9 (min 8 i23))) (vector-set! v8 1 10))) (lb20 (+ la19 (quotient g7 3)))) (>= 5 65536))) ((5 -2 -5) (case lg16 ((-3) #f) ((2) #f) ((-2 -1 -3) #f) (else #f))) (else #t)) (+ #f) g6)
(define (f10 p30 p31) (f11 (let ((r32 'b)) (unless (if (let ((h33 (lambda (y34) #t))) (h33 2)) (cond (#f p30) (p30) (else #t)) (integer? 107)) (set! r32 'b)) r32) v8 (begin (set! p30 (>= 65536 -606)) (set! p31 (f9 (min 8 (c-abs15 p31)))) (* (let ((x36 -6)) x36) (let ((r37 g6)) (unless #t (set! r37 0)) r37)))) 'f)
(define (f11 p38 p39 p40) (display (quasiquote (1 (unquote (- (f9 (min 8 (- -4 -4))) (if (begin (f14 p38 #t) (f14 p38 #t) #t) (abs p40) 2147483646))) x))) 'a)
(define (f12) (let ((i41 0)) (while (< i41 (min 5 (let ((r42 -1)) (when #t (set! r42 (let ((i43 0) (a44 (abs lg16))) (while (< i43 (min 5 (f9 7))) (do ((i48 0 (+ i48 1))) ((>= i48 4)) (f14 'a #f)) (set! a44 (max a44 (if #f g6 i41))) (set! i43 (+ i43 1))) a44))) r42))) (newline) (set! i41 (+ i41 1)))) (set! g6 -3) (make-vector 3 'a))
(vector-ref v2 0)
(define lg16 -1)
(define f13 (lambda (p49 p50) (let lp52 ((i51 0)) (when (< i51 (min 5 (if ((lambda (y53 y54) y53) (= p50 p50) (if #t (abs 'e) 8)) (c-abs15 lg16) (vector-length v3)))) (newline) (f14 'd (equal? (if #t 'e 'e) 'b)) (lp52 (+ i51 1)))) (display (case (begin (set! g7 (f9 3)) (set! p49 g6) p49) ((-3 -5 -3) v3) (else v3))) (cond (#f (make-vector 1 #t)) (else v3))))
(begin (vector-set! v5 (modulo (begin (newline) (unless (even? 10) (unless #f (newline))) (- g7 (letrec ((la57 -8) (lb58 (+ la57 5))) -9))) 2) (let* ((x63 (begin (display g7) (begin (vector-set! v5 2 lg16) (set! g7 -3) 'c))) (x64 (f13 46340 (quotient 4 g7) (let lp67 ((i65 0) (a66 g6)) (if (>= i65 3) a66 (begin (display x63) (display x63) (lp67 (+ i65 1) (max a66 1)))))))) g6)) (newline))
(define (f14 p70 p71) (vector-set! v2 3 (- (car '(79 -171 69)) 544)) (vector-set! v8 0 (begin (vector-fill! v8 (logxor -1 -3)) g7)))
(f9 9)
v3
(begin (set! g6 (vector-ref v5 1)))
(f14 'b #f)
(f13 -412 -384)
(begin (define bx72 (quotient (modulo -65536 g6) 1)) (display (+ bx72 1)))
(begin (display (cons (let ((i73 0) (a74 (+ g6 g6 7))) (while (< i73 4) (vector-set! v2 2 g7) (set! lg16 -65536) (set! a74 (+ a74 (cond (#t 9) (#f g6) (else lg16)))) (set! i73 (+ i73 1))) a74) (list 7 1))) (display (f13 -3 (begin (when #f (display "tab\tend")) (let ((x78 #t)) 7)))) (if (symbol? (expt -3 3)) (f11 'e (make-vector 2 (ash g7 -8)) -1) (set! g7 (let ((z79 'f)) (+ z79 g6)))))
(letrec ((la80 (quote 8)) (lb81 (+ la80 (* (let* ((x85 (f9 3)) (x86 (let* ((x87 x85) (x88 lg16)) 'b)) (x89 (if #t 3 -46341))) (let ((x90 la80)) -5)) (vector-ref v5 1))))) (let ((z92 'c)) (vector-ref z92 (cond (#t (remainder lb81 (max -1000 (min 1000 g6)))) (#t (do ((i93 0 (+ i93 1)) (a94 g6 (* a94 1000000))) ((>= i93 (min 6 (vector-length v2))) a94) (vector-set! v4 0 'd) (set! lg16 #t))) (else -6)))))
