;; break and continue used where the loop needs an escape: from procedures
;; the body defines or passes on, in non-tail positions, with break called
;; with different numbers of arguments, and across nested whiles.
(define (search grid target)
  ;; the first (row col) holding target, or #f
  (let ((r 0) (found #f))
    (while (< r (vector-length grid))
      (let ((row (vector-ref grid r)) (c 0))
        (while (< c (vector-length row))
          (if (equal? (vector-ref row c) target)
              (begin (set! found (list r c)) (break)))
          (set! c (+ c 1))))
      (if found (break found))
      (set! r (+ r 1)))))
(define grid (vector (vector 1 2 3) (vector 4 5 6) (vector 7 8 9)))
(display (search grid 6)) (newline)
(display (search grid 10)) (newline)

;; a helper defined in the body calls break and continue
(define (squares-until limit)
  (let ((i 0) (out '()))
    (while #t
      (set! i (+ i 1))
      (let ((check (lambda (sq)
                     (if (> sq limit) (break (reverse out)))
                     (if (= 0 (modulo i 3)) (continue))
                     sq)))
        (set! out (cons (check (* i i)) out))))))
(display (squares-until 60)) (newline)

;; (break) and (break x) in one loop, neither in tail position
(define (classify lst)
  (let ((rest lst))
    (while (pair? rest)
      (let ((x (car rest)))
        (set! rest (cdr rest))
        (display (cond ((eq? x 'stop) (break))
                       ((number? x) (if (negative? x) (break x) x))
                       (else 'other)))
        (display " ")))))
(display (classify '(1 a 2 stop 3))) (newline)
(display (classify '(1 -5 2))) (newline)
(display (classify '(1 2))) (newline)

;; break passed as a procedure value
(define (first-even lst)
  (let ((l lst))
    (while (pair? l)
      (for-each (lambda (x) (if (even? x) (break x))) (list (car l)))
      (set! l (cdr l)))))
(display (first-even '(1 3 8 5 6))) (newline)
(define (apply-break lst)
  (while #t (map (lambda (f) (f 'from-map)) (list (lambda (x) x) break))))
(display (apply-break '())) (newline)

;; break with two values, from inside a procedure
(call-with-values
  (lambda () (let ((k 0)) (while #t (set! k (+ k 1)) ((lambda () (if (= k 4) (break k (* k k))))))))
  (lambda (a b) (display (list a b)) (newline)))

;; continue from a for-each, in an outer while
(define (sum-positive-rows rows)
  (let ((total 0) (rs rows))
    (while (pair? rs)
      (let ((row (car rs)))
        (set! rs (cdr rs))
        (for-each (lambda (x) (if (negative? x) (continue))) row)
        (set! total (+ total (apply + row)))))
    total))
(display (sum-positive-rows '((1 2) (3 -1) (4 5)))) (newline)
