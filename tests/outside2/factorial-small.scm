;; factorials that fit in 32 bits, iterative and recursive
(define (fact-rec n) (if (= n 0) 1 (* n (fact-rec (- n 1)))))
(define (fact-iter n) (let loop ((i 1) (acc 1)) (if (> i n) acc (loop (+ i 1) (* acc i)))))
(do ((i 0 (+ i 1))) ((> i 12))
  (display (list i (fact-rec i) (fact-iter i) (= (fact-rec i) (fact-iter i))))
  (newline))
(define (choose n k) (quotient (fact-iter n) (* (fact-iter k) (fact-iter (- n k)))))
(display (map (lambda (k) (choose 10 k)) '(0 1 2 3 4 5 6 7 8 9 10))) (newline)
