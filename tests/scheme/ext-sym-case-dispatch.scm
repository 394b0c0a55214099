;; case on integers and symbols: several data per clause, an else that
;; receives the key with =>, and clauses with more than one expression.
(define (classify n)
  (case n
    ((0) 'zero)
    ((1 3 5 7 9) 'odd-digit)
    ((2 4 6 8) 'even-digit)
    ((-1 -2 -3) 'small-negative)
    (else 'other)))
(do ((i -3 (+ i 1))) ((> i 11) (newline))
  (display (classify i)) (display " "))
(define (opposite d)
  (case d ((north) 'south) ((south) 'north) ((east) 'west) ((west) 'east) (else 'nowhere)))
(display (opposite 'north)) (display (opposite 'east)) (display (opposite 'up)) (newline)
(define calls 0)
(define (describe x)
  (case x
    ((#t) (set! calls (+ calls 1)) 'true)
    ((#f) (set! calls (+ calls 1)) 'false)
    (else => (lambda (k) (* k 2)))))
(display (describe #t)) (display " ") (display (describe #f)) (display " ") (display calls) (newline)
(define (scale x) (case x ((1 2 3) => (lambda (k) (* k 100))) (else 0)))
(display (scale 2)) (display " ") (display (scale 9)) (newline)
