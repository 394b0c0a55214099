;; three procedures calling each other in a ring: n mod 3 by recursion,
;; and a tail-recursive version that runs far deeper than the stack.
(define (r0 n) (if (= n 0) 0 (r2 (- n 1))))
(define (r1 n) (if (= n 0) 1 (r0 (- n 1))))
(define (r2 n) (if (= n 0) 2 (r1 (- n 1))))
(define (count-a n) (if (= n 0) 0 (+ 1 (count-b (- n 1)))))
(define (count-b n) (if (= n 0) 0 (+ 2 (count-c (- n 1)))))
(define (count-c n) (if (= n 0) 0 (+ 3 (count-a (- n 1)))))
(display (r0 10)) (display (r0 11)) (display (r0 12)) (newline)
(display (r0 100000)) (newline)
(display (count-a 10)) (display " ") (display (count-a 3000)) (newline)
