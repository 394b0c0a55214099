;; Pascal's triangle rows
(define (next-row row)
  (map + (cons 0 row) (append row '(0))))
(define (pascal n)
  (let loop ((i 0) (row '(1)) (acc '()))
    (if (= i n) (reverse acc) (loop (+ i 1) (next-row row) (cons row acc)))))
(for-each (lambda (r) (display r) (newline)) (pascal 10))
(display (apply + (list-ref (pascal 16) 15))) (newline)
