;; Dijkstra's Dutch national flag: a three-way partition of a vector of
;; symbols in one pass, with case on the colour.
(define (swap! v i j) (let ((t (vector-ref v i))) (vector-set! v i (vector-ref v j)) (vector-set! v j t)))
(define (flag! v)
  (let loop ((lo 0) (mid 0) (hi (- (vector-length v) 1)))
    (if (> mid hi)
        v
        (case (vector-ref v mid)
          ((red) (swap! v lo mid) (loop (+ lo 1) (+ mid 1) hi))
          ((white) (loop lo (+ mid 1) hi))
          (else (swap! v mid hi) (loop lo mid (- hi 1)))))))
(display (flag! (vector 'blue 'red 'white 'red 'blue 'white 'red))) (newline)
(write (flag! (vector 'white 'white))) (newline)
(write (flag! (vector 'blue 'blue 'red))) (newline)
