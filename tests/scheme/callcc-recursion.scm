;; escapes out of recursions: a non-tail recursion, a tree walk, mutual
;; recursion, a call/cc at every level of a recursive procedure, nested
;; call/cc with the inner and the outer continuation
(define (product lst)
  (call/cc
   (lambda (k)
     (let loop ((l lst))
       (cond ((null? l) 1)
             ((= 0 (car l)) (k 0))
             (else (* (car l) (loop (cdr l)))))))))
(display (list (product '(1 2 3 4)) (product '(5 0 7)) (product (iota 6 1)))) (newline)

(define (walk tree k)
  (cond ((null? tree) 0)
        ((pair? tree) (+ (walk (car tree) k) (walk (cdr tree) k)))
        ((eq? tree 'stop) (k 'stopped))
        (else 1)))
(display (call/cc (lambda (k) (walk '(a (b c) (d (e f))) k)))) (newline)
(display (call/cc (lambda (k) (walk '(a (b c) (d (e stop f))) k)))) (newline)

(define (down-even n k) (if (= n 0) (k 'bottom) (+ 1 (down-odd (- n 1) k))))
(define (down-odd n k) (if (= n 7) (k (list 'seven-at n)) (* 2 (down-even n k))))
(write (call/cc (lambda (k) (down-even 20 k)))) (newline)
(write (call/cc (lambda (k) (down-even 4 k)))) (newline)

(define (levels n)
  (if (= n 0)
      0
      (+ 1 (call/cc
            (lambda (k)
              (if (= (remainder n 3) 0)
                  (k (* 100 (levels (- n 1))))
                  (levels (- n 1))))))))
(display (map levels '(0 1 3 7))) (newline)

(define (fact n) (call/cc (lambda (k) (if (= n 0) (k 1) (* n (fact (- n 1)))))))
(display (fact 10)) (newline)

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

(define (deep n k) (if (= n 0) (k 'bottom) (cons n (deep (- n 1) k))))
(write (call/cc (lambda (k) (deep 500 k)))) (newline)
