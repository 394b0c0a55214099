;; closures capturing loop variables: each iteration has its own binding
(define procs
  (do ((i 0 (+ i 1))
       (fs '() (cons (lambda () i) fs)))
      ((= i 4) (reverse fs))))
(display (map (lambda (f) (f)) procs)) (newline)
(define procs2
  (let loop ((i 0) (acc '()))
    (if (= i 4) (reverse acc) (loop (+ i 1) (cons (lambda (x) (* x i)) acc)))))
(display (map (lambda (f) (f 10)) procs2)) (newline)
(define procs3 (map (lambda (n) (lambda () (* n n))) '(1 2 3)))
(display (map (lambda (p) (p)) procs3)) (newline)
(define v (make-vector 3 #f))
(do ((i 0 (+ i 1))) ((= i 3)) (vector-set! v i (lambda () (+ i 100))))
(display (list ((vector-ref v 0)) ((vector-ref v 2)))) (newline)
