;; Primes by trial division over a list, and a sieve on lists.
(define (range a b) (if (> a b) '() (cons a (range (+ a 1) b))))
(define (prime? n) (and (> n 1) (let loop ((d 2)) (cond ((> (* d d) n) #t) ((= 0 (remainder n d)) #f) (else (loop (+ d 1)))))))
(define (sieve l) (if (null? l) '() (cons (car l) (sieve (filter (lambda (x) (not (= 0 (remainder x (car l))))) (cdr l))))))
(display (filter prime? (range 1 50))) (newline)
(display (sieve (range 2 50))) (newline)
(display (equal? (filter prime? (range 1 100)) (sieve (range 2 100)))) (newline)
