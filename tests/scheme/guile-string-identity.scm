;; Strings in procedures: each literal is its own object (eq? and eqv?
;; compare objects), the same literal passed around stays itself.
(define (same? x y) (eqv? x y))
(display (same? "b" "b")) (newline)
(define s "k")
(define (is-s? x) (eq? x s))
(display (is-s? s)) (newline)
(display (is-s? "k")) (newline)
(define (kind x) (case x (("a") 'matched) (else 'no)))
(display (kind "a")) (newline)
(define (pick n) (if (> n 0) s "k"))
(display (eq? (pick 1) s)) (newline)
(display (eq? (pick 0) s)) (newline)
(display (pick 0)) (newline)
