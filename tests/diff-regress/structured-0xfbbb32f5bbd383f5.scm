;; test-differential --all --structured --run-seed 0xfbbb32f5bbd383f5, in check mode
;; (make check's fixed-seed run of 8d87581): a quasiquote that expands to
;; append is refused before compiling ("lists are not compiled"); check mode
;; failed with that error instead of reporting the refusal as a difference and
;; running the evaluator (lib/session.c, session_check_refused).
(deftable t1 (e #t) (f #t))
(define v2 (vector -65536))
(define v3 (vector #t #t #f #f #t #f))
(define v4 (vector 'a 'd 'a 'a 'd))
(define g5 -330)
(define g6 -6)
(define g7 -6)
(define v8 (vector 3 10))
(extern c-abs13 "libc" "abs" (int32) int32)
(define (f9 p14 p15) (if (<= p14 0) (* (cond ((let* ((x16 v4) (x17 v2)) #f) (let ((r18 -2147483647)) (unless #f (set! r18 -46341)) r18)) (else (vector-ref p15 1))) (f10 (begin (newline) (set! g7 7) #t))) (max (f9 (- p14 1) (begin (set! g5 (f10 #t)) (vector (let ((i19 0) (a20 -129)) (while (< i19 (min 5 (vector-length v4))) (display #f) (set! a20 (+ a20 g5)) (set! i19 (+ i19 1))) a20) (let ((z24 'b)) (+ z24 g7))))) (- (vector-ref p15 0)))))
(f9 4 (make-vector 0 (+ 3 65536)))
(define (f10 p25) (set! v3 v3) (display (case (quotient (if p25 g7 5) (max -1000 (min 1000 g6))) ((2) (positive? '-927)) ((-2 5) (and (let* ((x26 v3) (x27 8) (x28 v4)) #f) (let ((x29 #t)) x29))) (else (if #t (cond (#f p25) (#t) (else p25)) (t1 'c))))) (- (begin (let ((i30 0)) (while (< i30 2) (display (quasiquote (6 (unquote g5) x))) (let ((i31 0)) (while (< i31 3) (f11) (set! i31 (+ i31 1)))) (set! i30 (+ i30 1)))) (vector-length v4)) -5))
(define (f11) (unless #f (let ((i32 0)) (while (< i32 (min 5 (+ (case g5 ((-1 -5 2) 0) ((-4 -2) -1) (else g6)) (modulo g6 -2)))) (set! v4 v4) (display (* i32 g6)) (set! i32 (+ i32 1))))))
(f9 999 (vector g6 (abs 750)))
(define (f12 p33) (if (if (begin (let lp35 ((i34 0)) (when (< i34 (min 5 (vector-length v2))) (vector-set! v2 0 g5) (newline) (lp35 (+ i34 1)))) #f) (eqv? g7 (- g6 -10)) (< (if #t -7 7) (- 885))) (do ((i36 0 (+ i36 1))) ((>= i36 4)) (display (and #t)) (vector-fill! v3 #f)) (f11)) (let ((i37 0)) (while (< i37 (min 5 (begin (if (begin (newline) #f) (unless #t (when #t (undefined-x1)) (newline)) (set! g7 -9)) (vector-fill! v4 'c) -2147483648))) (f11) (f11) (set! i37 (+ i37 1)))) v8)
(f10 #t)
(begin (set! g7 -304))
(let lp39 ((i38 0)) (when (< i38 11) (vector-set! v4 (modulo (f10 (t1 'e)) 2) (let ((r40 'f)) (when (< g6 -8) (set! r40 'c)) r40)) (f11) (lp39 (+ i38 1))))
(f11)
(f12 -6)
(vector-ref v8 2)
(f12 46340)
