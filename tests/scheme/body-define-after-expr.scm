;; Guile 3 bodies: definitions may follow expressions, which run in order
;; with the definitions' inits (letrec* semantics); a begin holding
;; definitions in a body is spliced into it.
(define (g x)
  (display "computing ")
  (define y (* x 2))
  (+ x y))
(display (g 5)) (newline)

(let ((a 1))
  (display "a")
  (define b (+ a 1))
  (display b)
  (define (h) (* b c))     ; refers to a later definition
  (define c 10)
  (display (h))
  (newline))

(let* ((a 1)) (display "let* ") (define b (+ a 1)) (display b) (newline))
(letrec ((a 1)) (display "letrec ") (define b (+ a 1)) (display b) (newline))
((lambda () (display 1) (define z 2) (display z) (newline)))

(define (k)
  (define a 1)
  (display a)
  (define b 2)
  (display b)
  (newline)
  (+ a b))
(display (k)) (newline)

;; order of effects: expressions and inits interleave
(define (trace)
  (define log '())
  (set! log (cons 'first log))
  (define x (begin (set! log (cons 'x-init log)) 1))
  (set! log (cons 'second log))
  (define (f) (* x 3))
  (set! log (cons 'third log))
  (define y (f))
  (list (reverse log) x y))
(display (trace)) (newline)

;; a named let and a case-lambda body
(let loop ((i 0))
  (display i)
  (define j (+ i 1))
  (if (< j 3) (loop j)))
(newline)
((case-lambda ((a) (display a) (define c 3) (display (+ a c)) (newline))) 1)

;; define-values after an expression
(define (dv)
  (display "dv ")
  (define-values (q r) (floor/ 17 5))
  (list q r))
(display (dv)) (newline)

;; begin with definitions, spliced
(let ()
  (display "s")
  (begin (define z 2) (display z))
  (define w (* z 10))
  (display w)
  (newline))

;; closures capturing variables defined after an expression
(define (counter)
  (display "new counter ")
  (define n 0)
  (lambda () (set! n (+ n 1)) n))
(define c1 (counter))
(c1) (c1)
(display (c1)) (newline)
