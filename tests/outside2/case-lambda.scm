;; case-lambda with several arities
(define area
  (case-lambda
    ((r) (* 3 r r))
    ((w h) (* w h))
    ((a b c) (+ a b c))
    ((a . rest) (list 'many a rest))))
(display (area 2)) (newline)
(display (area 3 4)) (newline)
(display (area 1 2 3)) (newline)
(display (area 1 2 3 4 5)) (newline)
(define greet
  (case-lambda
    (() "hello, nobody")
    ((name) (string-append "hello, " name))))
(display (greet)) (newline)
(display (greet "sam")) (newline)
