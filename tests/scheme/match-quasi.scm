;; (ice-9 match): quasi-patterns, literals under ..., nested patterns in vectors, _ ..., a body with a definition.
(use-modules (ice-9 match))
(write (match '(foo 1 (2 3)) (`(foo ,a (,b ,c)) (list a b c)))) (newline)
(write (match '(add 1 2) (`(sub ,x ,y) 'sub) (`(add ,x ,y) (+ x y)))) (newline)
(write (match '(1 1 1) ((1 ...) 'ones) (_ 'no))) (newline)
(write (match #((1 2) (3 4)) (#((a b) ...) (list a b)))) (newline)
(write (match '(1 2 3) ((_ ...) 'any))) (newline)
(write (match 3 (x (define y (* x 2)) (+ y 1)))) (newline)
(write (match '(a . b) (`(,x . ,y) (list x y)))) (newline)
