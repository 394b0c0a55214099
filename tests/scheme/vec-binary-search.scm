;; binary search in a sorted vector; #f when absent.
(define v (make-vector 100 0))
(do ((i 0 (+ i 1))) ((= i 100)) (vector-set! v i (* 3 i)))

(define (search v key)
  (let loop ((lo 0) (hi (- (vector-length v) 1)))
    (if (> lo hi)
        #f
        (let ((mid (quotient (+ lo hi) 2)))
          (cond ((= (vector-ref v mid) key) mid)
                ((< (vector-ref v mid) key) (loop (+ mid 1) hi))
                (else (loop lo (- mid 1))))))))

(display (search v 0)) (newline)
(display (search v 297)) (newline)
(display (search v 150)) (newline)
(display (search v 151)) (newline)
(display (search v -3)) (newline)
(display (search (vector) 1)) (newline)

;; lower bound: first index whose element is >= key
(define (lower-bound v key)
  (let loop ((lo 0) (hi (vector-length v)))
    (if (< lo hi)
        (let ((mid (quotient (+ lo hi) 2)))
          (if (< (vector-ref v mid) key) (loop (+ mid 1) hi) (loop lo mid)))
        lo)))
(display (lower-bound v 100)) (display " ")
(display (lower-bound v 1000)) (display " ")
(display (lower-bound v -1)) (newline)
