;; test-differential --all --run-seed 0xc681f42a8dd89955 (branch str): symbol->string
;; of a boolean passed where symbols go (a tagged place): booleans and symbols
;; share a tag, so the kind check passed #t; now a range test (from 2).
(deftable t1 (b 46340) (c 0))
(define g2 1000000)
(define g3 'f)
(define (gs-id s) s)
(define (gs-twice s) (string-append s s))
(define (gs-rev s) (list->string (reverse (string->list s))))
(define (gs-lt a b) (string<? (symbol->string a) (symbol->string b)))
(define (gs-name a) (string-append "<" (symbol->string a) ">"))
(define (gs-set s i c) (let ((m (string-copy s))) (if (< i (string-length m)) (string-set! m i c)) m))
(define gs-glob (string-append "g" "lob"))
(define gs-mut (make-string 3 #\m))
(define (f4 p8 p9) (quote d))
(define ls10 (cons 4 (list -6 '(0 . 2) '((2 e)))))
(display ls10)
(display (pair? ls10))
(display (list? ls10))
(display (list-copy ls10))
(display (append '(0) ls10))
(define f5 (lambda () (let ((s (gs-twice (gs-set (string-downcase "Zebra") (modulo (cond (#f -276) (#f 6) (else -5)) 3) (integer->char (+ 97 (modulo g2 26))))))) (if (> (string-length s) 0) (char->integer (string-ref s (modulo (letrec* ((la11 (lambda (n13 s14) (if (<= n13 0) s14 (lb12 (- n13 1) (+ s14 1))))) (lb12 (lambda (n13 s14) (if (<= n13 0) (- s14) (la11 (- n13 1) s14))))) (la11 22 (- g2 -2))) (string-length s)))) -1))))
(define (f6 p15 p16 p17) (define w18 (* (if p15 (f5) (cond (#f p16) (else 0))) (case p16 ((3 -4) (logxor 6 -1)) ((3) (let ((x19 -7) (x20 4)) 10)) (else -8)))) (let ((s (gs-name (if (not p15) (f4 p16 4) p15)))) (if (> (string-length s) 0) (char->integer (string-ref s (modulo (cond ((f7 'c w18 p16) (t1 g3)) (else (f5))) (string-length s)))) -1)))
4
(define (f7 p22 p23 p24) (if (not (< (t1 p22) 0)) (if (even? p23) (if (or #t #f #t) (nosuch2 (- g2 7)) (not (< g2 0))) (if (< p24 g2 p23) (missing2 (if #t p24 3)) #t)) (not (< (f5) 0))))
(f7 'b -1 4)
'b
(- (- (t1 'b) 2))
(f6 #t 4 2147483647)
g2
'd
(define ls25 '(a))
(display ls25)
(set! ls25 (cons (list 7 7) ls25))
(display (cdr ls25))
(display (pair? ls25))
