;; each loop iteration binds fresh variables: closures made in a loop
;; remember their own iteration.
(define procs
  (let loop ((i 0) (acc '()))
    (if (= i 5) (reverse acc) (loop (+ i 1) (cons (lambda () (* i i)) acc)))))
(display (map (lambda (p) (p)) procs)) (newline)
(define v (make-vector 3 #f))
(do ((i 0 (+ i 1))) ((= i 3))
  (vector-set! v i (lambda (x) (+ x i))))
(display (list ((vector-ref v 0) 10) ((vector-ref v 1) 10) ((vector-ref v 2) 10))) (newline)
(define (adders n)
  (map (lambda (k) (lambda (x) (+ x k))) (list 1 2 n)))
(display (map (lambda (f) (f 100)) (adders 50))) (newline)
