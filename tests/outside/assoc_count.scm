;; word frequency with an association list
(define (tally words)
  (let loop ((ws words) (counts '()))
    (if (null? ws)
        counts
        (let ((entry (assoc (car ws) counts)))
          (if entry
              (begin (set-cdr! entry (+ (cdr entry) 1)) (loop (cdr ws) counts))
              (loop (cdr ws) (cons (cons (car ws) 1) counts)))))))
(define result (tally '("a" "b" "a" "c" "b" "a")))
(write result) (newline)
(define (sym-tally syms)
  (let loop ((ss syms) (counts '()))
    (cond ((null? ss) (reverse counts))
          ((assq (car ss) counts) => (lambda (e) (set-cdr! e (+ 1 (cdr e))) (loop (cdr ss) counts)))
          (else (loop (cdr ss) (cons (cons (car ss) 1) counts))))))
(write (sym-tally '(x y x z x y))) (newline)
