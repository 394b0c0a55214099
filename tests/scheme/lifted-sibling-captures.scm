;; A local procedure (k1) that calls another local procedure of an outer
;; scope (k2), inside a loop: k2's variables must reach it through k1.
;; Compiled code once passed k2 no i and returned 1 here.
(define (f n)
  (let loop ((i 0) (acc 0))
    (let ((v i))
      (let* ((k2 (lambda () (loop (+ i 1) (+ acc 1))))
             (k1 (lambda () (if (>= v n) acc (k2)))))
        (k1)))))
(write (f 5)) (newline)
(define (g l)
  (let walk ((l l) (sum 0))
    (let ((x (if (pair? l) (car l) 0)))
      (letrec ((skip (lambda () (walk (cdr l) sum)))
               (take (lambda () (walk (cdr l) (+ sum x))))
               (step (lambda () (cond ((null? l) sum) ((odd? x) (take)) (else (skip))))))
        (step)))))
(write (g '(1 2 3 4 5))) (newline)
