;; non-tail recursion that reads and writes a vector on the way down and
;; on the way back up, so frames and memory interleave.
(define v (make-vector 50 0))
(define (down-up i)
  (if (= i 50)
      0
      (begin
        (vector-set! v i (* i i))
        (let ((below (down-up (+ i 1))))
          (vector-set! v i (- (vector-ref v i) below))
          (+ i (vector-ref v i))))))
(display (down-up 0)) (newline)
(display (vector-ref v 0)) (display " ") (display (vector-ref v 25)) (display " ") (display (vector-ref v 49)) (newline)
(define (tree-sum lo hi)
  (if (= lo hi) (vector-ref v lo)
      (let ((mid (quotient (+ lo hi) 2)))
        (+ (tree-sum lo mid) (tree-sum (+ mid 1) hi)))))
(display (tree-sum 0 49)) (newline)
(define (count-calls n) (if (< n 2) 1 (+ 1 (count-calls (- n 1)) (count-calls (- n 2)))))
(display (count-calls 18)) (newline)
