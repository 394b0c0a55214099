;;; expect: error
;; error with irritants computed as the program runs: a search that
;; reports what it did not find, with the state it had reached.
(define (find-index v x)
  (let loop ((i 0))
    (cond ((= i (vector-length v))
           (error "find-index: not found:" x 'after i "elements" (> i 2)))
          ((= (vector-ref v i) x) i)
          (else (loop (+ i 1))))))
(define v (vector 3 1 4 1 5))
(display (find-index v 4))
(newline)
(display (find-index v 9))
(newline)
