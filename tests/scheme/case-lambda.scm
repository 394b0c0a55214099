;; case-lambda: the clause is chosen by the number of arguments.
(define area
  (case-lambda
    ((side) (* side side))
    ((w h) (* w h))
    ((a b c) (let ((s (quotient (+ a b c) 2))) (* s (- s a) (- s b) (- s c))))))
(display (list (area 4) (area 3 5) (area 3 4 5))) (newline)
(define greet
  (case-lambda
    (() "nobody")
    ((who) (string-append "hello " who))
    ((who . more) (string-append "hello " who " and " (number->string (length more)) " more"))))
(display (greet)) (newline)
(display (greet "ann")) (newline)
(display (greet "ann" "bob" "cy")) (newline)
(define plus
  (case-lambda
    (() 0)
    ((x) x)
    ((x y) (+ x y))
    ((x y . zs) (apply plus (+ x y) zs))))
(display (list (plus) (plus 1) (plus 1 2) (plus 1 2 3 4 5))) (newline)
(define (make-range . args)
  (apply (case-lambda ((n) (iota n)) ((a b) (iota (- b a) a)) ((a b s) (iota (quotient (- b a) s) a s))) args))
(display (list (make-range 3) (make-range 2 5) (make-range 0 10 3))) (newline)
(define any-args (case-lambda (all all)))
(display (any-args 1 2 3)) (newline)
