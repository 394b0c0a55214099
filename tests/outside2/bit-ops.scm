;; binary representation and bit counting with arithmetic
(define (to-binary n)
  (if (= n 0) "0"
      (let loop ((n n) (acc '()))
        (if (= n 0) (list->string acc)
            (loop (quotient n 2) (cons (if (= 1 (remainder n 2)) #\1 #\0) acc))))))
(define (popcount n) (if (= n 0) 0 (+ (remainder n 2) (popcount (quotient n 2)))))
(define (power-of-two? n) (and (> n 0) (= 1 (popcount n))))
(for-each (lambda (n) (display (list n (to-binary n) (popcount n) (power-of-two? n))) (newline))
          '(0 1 2 5 8 255 1024 1023))
(display (list (logand 12 10) (logior 12 10) (logxor 12 10) (ash 1 10) (ash 1024 -3))) (newline)
