;; a small database of records as association lists, queried with
;; higher-order procedures.
(define people
  (list (list (cons 'name 'ann) (cons 'age 31) (cons 'city 'oslo))
        (list (cons 'name 'bob) (cons 'age 25) (cons 'city 'rome))
        (list (cons 'name 'cid) (cons 'age 42) (cons 'city 'oslo))))
(define (get rec key) (cdr (assq key rec)))
(define (where key val) (lambda (rec) (equal? (get rec key) val)))
(define (select pred recs)
  (cond ((null? recs) '())
        ((pred (car recs)) (cons (car recs) (select pred (cdr recs))))
        (else (select pred (cdr recs)))))
(display (map (lambda (r) (get r 'name)) (select (where 'city 'oslo) people))) (newline)
(display (apply + (map (lambda (r) (get r 'age)) people))) (newline)
(define (group-by key recs)
  (let loop ((recs recs) (groups '()))
    (if (null? recs)
        (reverse groups)
        (let* ((k (get (car recs) key)) (g (assq k groups)))
          (if g
              (begin (set-cdr! g (append (cdr g) (list (get (car recs) 'name))))
                     (loop (cdr recs) groups))
              (loop (cdr recs) (cons (list k (get (car recs) 'name)) groups)))))))
(display (group-by 'city people)) (newline)
