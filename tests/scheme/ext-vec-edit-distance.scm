;; Levenshtein distance between sequences of symbols, with a rolling
;; pair of rows instead of a full table.
(define (edit-distance a b)
  (let* ((n (vector-length a)) (m (vector-length b))
         (prev (make-vector (+ m 1) 0)) (cur (make-vector (+ m 1) 0)))
    (do ((j 0 (+ j 1))) ((> j m)) (vector-set! prev j j))
    (do ((i 1 (+ i 1))) ((> i n) (vector-ref prev m))
      (vector-set! cur 0 i)
      (do ((j 1 (+ j 1))) ((> j m))
        (vector-set! cur j
          (min (+ 1 (vector-ref prev j))
               (+ 1 (vector-ref cur (- j 1)))
               (+ (vector-ref prev (- j 1))
                  (if (eq? (vector-ref a (- i 1)) (vector-ref b (- j 1))) 0 1)))))
      (do ((j 0 (+ j 1))) ((> j m)) (vector-set! prev j (vector-ref cur j))))))
(display (edit-distance (vector 'k 'i 't 't 'e 'n) (vector 's 'i 't 't 'i 'n 'g))) (newline)
(display (edit-distance (vector 'a 'b 'c) (vector 'a 'b 'c))) (newline)
(display (edit-distance (vector) (vector 'x 'y))) (newline)
(display (edit-distance (vector 'f 'l 'a 'w) (vector 'l 'a 'w 'n))) (newline)
