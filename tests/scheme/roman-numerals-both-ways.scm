;; probe3 (outside-style program, written without looking at tests/scheme)
(define roman-table
  '((1000 . "M") (900 . "CM") (500 . "D") (400 . "CD") (100 . "C") (90 . "XC")
    (50 . "L") (40 . "XL") (10 . "X") (9 . "IX") (5 . "V") (4 . "IV") (1 . "I")))

(define (to-roman n)
  (let loop ((n n) (table roman-table) (acc ""))
    (cond ((= n 0) acc)
          ((>= n (caar table))
           (loop (- n (caar table)) table (string-append acc (cdar table))))
          (else (loop n (cdr table) acc)))))

(define (roman-value c)
  (case c
    ((#\I) 1) ((#\V) 5) ((#\X) 10) ((#\L) 50)
    ((#\C) 100) ((#\D) 500) ((#\M) 1000)
    (else (error "bad roman digit" c))))

(define (from-roman s)
  (let loop ((cs (string->list s)) (total 0))
    (cond ((null? cs) total)
          ((and (pair? (cdr cs)) (< (roman-value (car cs)) (roman-value (cadr cs))))
           (loop (cdr cs) (- total (roman-value (car cs)))))
          (else (loop (cdr cs) (+ total (roman-value (car cs))))))))

(for-each (lambda (n)
            (let ((r (to-roman n)))
              (display n) (display " ") (display r) (display " ")
              (display (from-roman r)) (newline)))
          '(1 4 9 14 40 90 400 1994 2024 3999))
