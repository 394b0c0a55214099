;; early exit with call/cc
(define (find-first pred lst)
  (call-with-current-continuation
   (lambda (return)
     (for-each (lambda (x) (if (pred x) (return x))) lst)
     #f)))
(display (find-first even? '(1 3 5 6 7 8))) (newline)
(display (find-first (lambda (x) (> x 100)) '(1 2 3))) (newline)
(define (product lst)
  (call/cc
   (lambda (k)
     (let loop ((l lst))
       (cond ((null? l) 1)
             ((= (car l) 0) (k 0))
             (else (* (car l) (loop (cdr l)))))))))
(display (product '(1 2 3 4 5))) (newline)
(display (product '(1 2 0 4 5))) (newline)
(define saved #f)
(define count 0)
(display (+ 100 (call/cc (lambda (k) (set! saved k) 1)))) (newline)
(set! count (+ count 1))
;; re-entry removed
(display "done") (newline)
