;; binary search on a sorted vector
(define (bsearch v x)
  (let loop ((lo 0) (hi (- (vector-length v) 1)))
    (if (> lo hi) #f
        (let ((mid (quotient (+ lo hi) 2)))
          (cond ((= (vector-ref v mid) x) mid)
                ((< (vector-ref v mid) x) (loop (+ mid 1) hi))
                (else (loop lo (- mid 1))))))))
(define v (list->vector '(1 3 5 7 9 11 13 17 19 23 29)))
(display (map (lambda (x) (bsearch v x)) '(1 7 29 4 0 30 13))) (newline)
(define big (make-vector 1000 0))
(do ((i 0 (+ i 1))) ((= i 1000)) (vector-set! big i (* 3 i)))
(display (list (bsearch big 999) (bsearch big 1000) (bsearch big 0) (bsearch big 2997))) (newline)
