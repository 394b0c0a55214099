;; Building and walking a long list: 3000 elements, tail and non-tail recursion.
(define (build n acc) (if (= n 0) acc (build (- n 1) (cons n acc))))
(define big (build 3000 '()))
(display (length big)) (newline)
(define (sum-tail l acc) (if (null? l) acc (sum-tail (cdr l) (+ acc (car l)))))
(display (sum-tail big 0)) (newline)
(define (count-even l) (cond ((null? l) 0) ((even? (car l)) (+ 1 (count-even (cdr l)))) (else (count-even (cdr l)))))
(display (count-even big)) (newline)
(display (list-ref big 2999)) (newline)
