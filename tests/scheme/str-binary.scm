;; binary strings: parsing, adding, converting
(define (bits->int s)
  (let loop ((i 0) (v 0))
    (if (= i (string-length s)) v
        (loop (+ i 1) (+ (* 2 v) (if (char=? (string-ref s i) #\1) 1 0))))))
(define (int->bits n)
  (if (= n 0) "0"
      (let loop ((n n) (acc '()))
        (if (= n 0) (list->string acc)
            (loop (quotient n 2) (cons (if (odd? n) #\1 #\0) acc))))))
(define (add-bits a b) (int->bits (+ (bits->int a) (bits->int b))))
(write (bits->int "101101")) (newline)
(write (int->bits 45)) (newline)
(write (add-bits "1111" "1")) (newline)
(write (equal? (int->bits 1000) (number->string 1000 2))) (newline)
(write (map int->bits '(0 1 2 3 4 5 255))) (newline)
(write (string->number (int->bits 99) 2)) (newline)
