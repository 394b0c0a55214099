;; mutual tail recursion in letrec at 100,001 calls
(define (parity n)
  (letrec ((ev (lambda (k) (if (= k 0) 'even (od (- k 1)))))
           (od (lambda (k) (if (= k 0) 'odd (ev (- k 1))))))
    (ev n)))
(display (map parity '(0 1 100000 100001))) (newline)
