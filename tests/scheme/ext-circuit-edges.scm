;; procedures without loops (straight-line arithmetic and choices) called
;; with arguments at and beyond the 16-bit boundaries.
(define (poly x) (+ (* 3 x) -7))
(define (choose a b) (if (< a b) (- b a) (* 2 (- a b))))
(define (clamp x lo hi) (max lo (min x hi)))
(define (sign x) (cond ((> x 0) 1) ((< x 0) -1) (else 0)))
(define (mix a b) (let* ((s (+ a b)) (d (- a b))) (if (even? s) (quotient s 2) d)))
(define (row x)
  (display (poly x)) (display " ") (display (choose x 100)) (display " ")
  (display (clamp x -32768 32767)) (display " ") (display (sign x)) (display " ")
  (display (mix x 3)) (newline))
(row 0) (row 32767) (row 32768) (row -32768) (row -32769) (row 100) (row 101)
(row 715827882) (row -715827880) (row 65535)
