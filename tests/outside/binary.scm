(define (to-binary n)
  (if (= n 0) "0"
      (let loop ((n n) (acc '()))
        (if (= n 0) (list->string acc)
            (loop (quotient n 2) (cons (if (= 0 (remainder n 2)) #\0 #\1) acc))))))
(define (from-binary s)
  (let loop ((i 0) (acc 0))
    (if (= i (string-length s)) acc
        (loop (+ i 1) (+ (* 2 acc) (if (char=? (string-ref s i) #\1) 1 0))))))
(for-each (lambda (n) (display n) (display " -> ") (display (to-binary n)) (display " -> ") (display (from-binary (to-binary n))) (newline))
          '(0 1 2 5 10 255 1024 65535))
(define (popcount n) (if (= n 0) 0 (+ (remainder n 2) (popcount (quotient n 2)))))
(display (map popcount '(0 1 7 8 255 1023))) (newline)
