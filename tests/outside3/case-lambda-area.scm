(define area
  (case-lambda
    ((r) (* 3 r r))
    ((w h) (* w h))
    ((a b c) (let ((s (quotient (+ a b c) 2))) (list 'heron s)))))
(display (area 2)) (newline)
(display (area 3 4)) (newline)
(display (area 3 4 5)) (newline)
(define greet (case-lambda (() "hello") ((name) (string-append "hello, " name))))
(display (greet)) (newline)
(display (greet "world")) (newline)
