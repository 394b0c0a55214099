;; tail calls through cond, and, or, when, case at 100,000 iterations
(define (loop1 n) (cond ((= n 0) 'done1) (else (loop1 (- n 1)))))
(define (loop2 n) (and (>= n 0) (or (= n 0) (loop2 (- n 1)))))
(define (loop3 n) (if (= n 0) 'done3 (case (remainder n 2) ((0) (loop3 (- n 1))) (else (loop3 (- n 1))))))
(define (loop4 n acc) (when (>= n 0) (if (= n 0) acc (loop4 (- n 1) (+ acc 1)))))
(define (loop5 n) (let ((m (- n 1))) (if (< m 0) 'done5 (loop5 m))))
(display (list (loop1 100000) (loop2 100000) (loop3 100000) (loop4 100000 0) (loop5 100000))) (newline)
