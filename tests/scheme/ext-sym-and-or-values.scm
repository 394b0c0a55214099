;; and and or return values, not just booleans: the last true one, the
;; first true one, and their empty forms.
(display (and)) (display " ") (display (or)) (newline)
(display (and 1 2 3)) (display " ") (display (and 1 #f 3)) (newline)
(display (or #f 'b 'c)) (display " ") (display (or #f #f)) (newline)
(display (and 'x (or #f 0))) (display " ") (display (or (and #f 1) (and 2 3))) (newline)
(define n 0)
(define (tick v) (set! n (+ n 1)) v)
(or (tick #f) (tick 5) (tick 6))
(and (tick 1) (tick #f) (tick 2))
(display n) (newline)
(define (safe-div a b) (and (not (= b 0)) (quotient a b)))
(display (safe-div 10 3)) (display " ") (display (safe-div 10 0)) (newline)
(display (if (and) 'yes 'no)) (display (if (or) 'yes 'no)) (newline)
