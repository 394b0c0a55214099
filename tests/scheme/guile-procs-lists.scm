;; Guile's core list procedures: sort-list, merge and merge!, filter!,
;; delete1! and its eq?/eqv? twins, and the procedure combinators
;; noop, and=> and compose.
(define (show . xs) (for-each display xs) (newline))

(show (sort-list '(5 3 9 1 4) <) " " (sort-list (list "pear" "apple" "fig") string<?))
(show (merge '(1 3 5 7) '(2 4 6) <))
(define (by-car a b) (< (car a) (car b)))
(write (merge '((1 . a) (2 . a) (3 . a)) '((1 . b) (2 . b)) by-car)) (newline)
(show (merge '() '(1 2) <) (merge '(1 2) '() <))

(define a (list 1 4 9))
(define b (list 2 3 10 11))
(define m (merge! a b <))
(show m " " a " " b)

(define (merge-sort l)
  (if (or (null? l) (null? (cdr l))) l
      (let loop ((l l) (left '()) (right '()))
        (if (null? l)
            (merge (merge-sort left) (merge-sort right) <)
            (loop (cdr l) right (cons (car l) left))))))
(show (merge-sort '(8 3 5 1 9 2 7 4 6)))

(define c (list 1 2 3 4 5 6 7))
(define odds (filter! odd? c))
(show odds " " c)
(define d (list 2 4 5 6 7 8))
(show (filter! odd? d) " " d)
(show (filter! even? (list 1 3)) (filter! even? '()))

(define e (list 'a 'b 'c 'b))
(show (delete1! 'b e) " " e)
(show (delete1! 'a (list 'a 'b 'a)))
(show (delete1! "x" (list "y" "x" "x")) (delete1! 9 (list 1 2)))
(show (delq1! 'q (list 'p 'q 'q)) (delv1! 3 (list 3 3)))

(write (list (noop) (noop 5) (noop 'a 'b))) (newline)
(define table '((apple . 3) (pear . 5)))
(define (price fruit) (and=> (assq fruit table) cdr))
(show (price 'pear) " " (price 'kiwi))
(show (and=> (string-index "key=value" #\=) (lambda (i) (* i 10))))
(define inc-then-double (compose (lambda (x) (* x 2)) 1+))
(show (inc-then-double 5) " " ((compose list +) 1 2 3) " " ((compose abs) -4))
(show (map (compose car cdr) '((1 2) (3 4))))
(show ((compose length filter) odd? '(1 2 3 5)))
