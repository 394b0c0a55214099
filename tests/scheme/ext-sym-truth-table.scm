;; truth tables of derived boolean operators over a vector of booleans:
;; implication, equivalence and exclusive or, built from not, and, or, eq?.
(define bools (vector #f #t))
(define (implies a b) (or (not a) b))
(define (iff a b) (eq? a b))
(define (xor a b) (not (eq? a b)))
(define (nand a b) (not (and a b)))
(do ((i 0 (+ i 1))) ((= i 2))
  (do ((j 0 (+ j 1))) ((= j 2))
    (let ((a (vector-ref bools i)) (b (vector-ref bools j)))
      (write a) (display " ") (write b) (display " | ")
      (write (implies a b)) (display " ") (write (iff a b)) (display " ")
      (write (xor a b)) (display " ") (write (nand a b)) (newline))))
(display (boolean? (implies #t #f))) (display (boolean? 0)) (newline)
