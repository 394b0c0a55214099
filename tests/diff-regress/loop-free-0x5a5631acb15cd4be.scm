;; test-differential --run-seed 0x5a5631acb15cd4be (soak seed 20261207 on 
;; 62ad648): expt of a computed base and exponent, overflowing at the last 
;; product, said 'the result of expt' (now the product is made and the host 
;; names B, E and the power).
(use-modules (srfi srfi-1))
(deftable t1 (1 -5) (4 -5) (else 5))
(define g2 -9)
(define g3 -46341)
(define (gs-id s) s)
(define (gs-twice s) (string-append s s))
(define (gs-rev s) (list->string (reverse (string->list s))))
(define (gs-lt a b) (string<? (symbol->string a) (symbol->string b)))
(define (gs-name a) (string-append "<" (symbol->string a) ">"))
(define (gs-set s i c) (let ((m (string-copy s))) (if (< i (string-length m)) (string-set! m i c)) m))
(define gs-glob (string-append "g" "lob"))
(define gs-mut (make-string 3 #\m))
(define (f4 p7 p8 p9) (- (if #t (cond ((null? (list-tail (vector->list (vector (list 8 4) p7)) 0)) (f6 p7 #f 'b)) (else (- p7 -4))) (let ((x10 (- 7 993)) (x11 (- -729 -806))) (if #t p7 p8))) -2))
(define f5 (lambda (p12 p13 p14) (f6 (let* ((x15 (expt (- p14 -3) (t1 -247))) (x16 'f) (x17 (if p13 (case p12 ((-3 -1) 'b) (else x16)) (if #t 'd 'f)))) (if (> g3 46341) (* g3 g2) (cond (#f 0) (else x15)))) (>= (- (let ((h18 (lambda (y19) -719))) (h18 0)) 7) (- (cond (p13 g2) (else -1)) 1)) 'e)))
(define (f6 p21 p22 p23) (expt p21 3))
'e
(t1 (- (remainder (string-length "\"q\"") 100) -926))
(f5 -2147483648 #t 158)
'd
(f6 4 #f 'e)
(f4 -8 783 741)
