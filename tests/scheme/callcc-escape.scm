;; call/cc used to escape: from for-each, map, a non-tail recursion, a
;; procedure the continuation is passed to, nested escapes, several values
(define (find-first pred lst)
  (call-with-current-continuation
   (lambda (return)
     (for-each (lambda (x) (when (pred x) (return x))) lst)
     #f)))
(display (find-first even? '(1 3 4 5 6))) (newline)
(display (find-first even? (map (lambda (x) (* 2 x 1)) (iota 0)))) (newline)
(display (find-first (lambda (x) (> x 10)) (reverse (iota 20)))) (newline)

(define (product lst)
  (call/cc (lambda (k)
    (let loop ((l lst))
      (cond ((null? l) 1)
            ((= 0 (car l)) (k 0))
            (else (* (car l) (loop (cdr l)))))))))
(display (list (product '(1 2 3 4)) (product '(1 2 0 4)) (product (iota 5 1))))
(newline)

(define (deep n k) (if (= n 0) (k 'bottom) (+ 1 (deep (- n 1) k))))
(write (call/cc (lambda (k) (deep 100 k)))) (newline)
(write (call/cc (lambda (k) (map (lambda (x) (if (negative? x) (k x) (* x x))) '(1 2 -3 4)))))
(newline)
(write (call/cc (lambda (k) (map (lambda (x) (if (negative? x) (k x) (* x x))) '(1 2 3)))))
(newline)

(define (nested lst)
  (call/cc
   (lambda (outer)
     (+ 1000
        (call/cc
         (lambda (inner)
           (for-each (lambda (x)
                       (cond ((> x 50) (outer 'big))
                             ((< x 0) (inner x))))
                     lst)
           0))))))
(write (list (nested '(1 2 3)) (nested '(1 -5 99)) (nested '(1 99 -5)))) (newline)

(call-with-values
  (lambda () (call/cc (lambda (k) (k 1 2))))
  (lambda (a b) (display (+ a b)) (newline)))
(display (+ 1 (call/cc (lambda (k) 41)))) (newline)
(display (procedure? call/cc)) (newline)
(display (call/cc procedure?)) (newline)

;; the escape leaves with-output-to-string: output goes back to the screen
(display (call/cc (lambda (k)
  (with-output-to-string (lambda () (display "lost") (k 'escaped))))))
(newline)
(display "after") (newline)

;; a search with an early exit from nested loops
(define (find-pair v target)
  (call/cc
   (lambda (return)
     (do ((i 0 (+ i 1))) ((= i (vector-length v)) #f)
       (do ((j (+ i 1) (+ j 1))) ((= j (vector-length v)))
         (when (= target (+ (vector-ref v i) (vector-ref v j)))
           (return (list i j))))))))
(write (find-pair #(3 8 1 9 4) 13)) (newline)
(write (find-pair #(3 8 1 9 4) 100)) (newline)
