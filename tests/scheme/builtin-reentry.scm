; Builtins that call a procedure which calls them again (filter inside
; filter's predicate, map inside map, sort inside sort's comparator...):
; the inner call grows the evaluator's value stack under the outer one.
(define (count-of x l) (length (filter (lambda (y) (eqv? x y)) l)))
(define data '(1 2 2 3 3 3 4 5 5))
(display (filter (lambda (x) (> (count-of x data) 1)) data)) (newline)
(define (deep n) (if (= n 0) '() (cons n (deep (- n 1)))))
(display (map (lambda (k) (apply + (map (lambda (j) (length (deep j))) (iota k)))) '(1 2 3 4 5)))
(newline)
(display (apply + (map (lambda (x) (apply + (map (lambda (y) (* x y)) (filter (lambda (z) (> (length (filter odd? (iota z))) 0)) (iota x))))) '(1 2 3 4))))
(newline)
(for-each (lambda (w) (display (string-map (lambda (c) (if (char=? c (string-ref (list->string (filter char-alphabetic? (string->list w))) 0)) #\* c)) w)) (newline))
          '("abcab" "x1y2x"))
(display (map (lambda (v) (length (filter even? (vector->list (list->vector (map (lambda (x) (* x x)) (vector->list v)))))))
             (list (vector 1 2 3) (vector 2 4 6 8))))
(newline)
