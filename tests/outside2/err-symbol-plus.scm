;; adding a symbol: wrong-type error inside a loop with partial output
(define items '(1 2 three 4))
(let loop ((l items) (sum 0))
  (unless (null? l)
    (display "sum so far: ") (display sum) (newline)
    (loop (cdr l) (+ sum (car l)))))
