;; Counting occurrences with an association list kept in first-seen order.
(define (count-all l)
  (let loop ((l l) (counts '()))
    (if (null? l) (reverse counts)
        (let ((p (assv (car l) counts)))
          (if p
              (begin (set-cdr! p (+ (cdr p) 1)) (loop (cdr l) counts))
              (loop (cdr l) (cons (cons (car l) 1) counts)))))))
(display (count-all '(1 2 1 3 2 1 4))) (newline)
(display (count-all '(a b a c b a))) (newline)
(display (count-all '())) (newline)
