;; cond with => on a search that returns an index or #f, the result
;; handed to a named procedure.
(define v (vector 4 8 15 16 23 42))
(define (index-of x)
  (let loop ((i 0))
    (cond ((= i (vector-length v)) #f)
          ((= (vector-ref v i) x) i)
          (else (loop (+ i 1))))))
(define (report i) (display "found at ") (display i) (newline) i)
(define (look x)
  (cond ((index-of x) => report)
        (else (display x) (display " missing") (newline) -1)))
(look 15) (look 42) (look 5) (look 4)
(display (cond ((index-of 23)) (else 'no))) (newline)
