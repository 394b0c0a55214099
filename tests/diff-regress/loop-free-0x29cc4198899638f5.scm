;; test-differential --run-seed 0x29cc4198899638f5 (soak seed 20261207 on 62ad648, program 7104):
;; a vector passed where a port is wanted ran in compiled code (display to
;; it printed nothing; get-output-string read it) where the evaluator
;; reports the kind error: the port check missed a vector copied into a
;; port's class without unifying (lower-ports.c, S_ASSIGN); now refused.
(use-modules (srfi srfi-1))
(deftable t1 (-5 1) (-4 -2147483647) (-1 8) (else -619))
(define g2 970)
(define g3 65536)
(define-syntax mac-inc (syntax-rules () ((_ x) (+ x 1))))
(define-syntax mac-ifnot (syntax-rules () ((_ c a b) (if c b a))))
(define-syntax mac-sum (syntax-rules () ((_ x ...) (+ 0 x ...))))
(define-syntax mac-pick (syntax-rules (first second) ((_ first a b) a) ((_ second a b) b)))
(define-syntax mac-swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define (gs-id s) s)
(define (gs-twice s) (string-append s s))
(define (gs-rev s) (list->string (reverse (string->list s))))
(define (gs-lt a b) (string<? (symbol->string a) (symbol->string b)))
(define (gs-name a) (string-append "<" (symbol->string a) ">"))
(define (gs-set s i c) (let ((m (string-copy s))) (if (< i (string-length m)) (string-set! m i c)) m))
(define gs-glob (string-append "g" "lob"))
(define gs-mut (make-string 3 #\m))
(extern c-abs8 "libc" "abs" (int32) int32)
(define f4 (lambda () (= (ash -6 23) (- (mac-ifnot #f (cond (#f -5) (else 8)) (* 1 lg9)) -4))))
(define (f5 p10 p11) (- (f6) -2147483647))
(define (f6) (- g2 10))
(f6)
(define lg9 -121)
(define (f7 p12) (< (1- (abs -2147483648)) (+ (letrec ((la13 (let* ((x17 'd)) lg9)) (lb14 994)) (t1 lg9)) (let* ((x20 (+ 1 0 g3)) (x21 (- 1 6))) (+ lg9 lg9)) (cond (p12 (if #f g3 -10)) ((cond (p12 #f) (#f #t) (else #t)) (t1 -4)) ((<= -5 586 -4) (let ((x22 -65536)) 5)) (else lg9)))))
(f5 -8 'c)
(remainder (let ((z23 'b)) (+ z23 g3)) -3)
(get-output-string (vector 1 'x))
(newline)
-5
(f4)
'd
(case (if (odd? lg9) (- (let ((r26 lg9)) (when #t (set! r26 -1)) r26) (mac-ifnot #t 6 834)) (t1 -4)) ((-1) (- 535 (- (if #f -1 -8) (- 99999 0) (f6)) (t1 -4))) ((-4 -4 2) (- (- (if #f g3 g2) 99999 3) 4)) ((3 -3) -1) (else -10))
(display (find-tail (lambda (x) (> x -2)) (map char->integer (string->list "bbe"))))
