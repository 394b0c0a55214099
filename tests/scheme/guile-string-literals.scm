;; Each string literal is its own object, as in Guile: two literals with
;; the same text are not eq? or eqv?, and case never matches a string.
;; The same literal evaluated again is the same object.
(display (eqv? "a" "a")) (newline)
(display (eq? "abc" "abc")) (newline)
(display (memv "b" '("a" "b"))) (newline)
(display (case "a" (("a") 'matched) (else 'no))) (newline)
(define s1 "q")
(define s2 "q")
(display (eq? s1 s2)) (newline)
(display (eq? s1 s1)) (newline)
(display (equal? s1 s2)) (newline)
(display (string=? s1 s2)) (newline)
(define (f) "same")
(display (eq? (f) (f))) (newline)
(display (eq? '"z" '"z")) (newline)
(display (member "b" '("a" "b"))) (newline)
(display (eq? (symbol->string 'abc) "abc")) (newline)
