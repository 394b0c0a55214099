;; Run-length encoding of a string into a string such as "a3b1".
(define (rle s)
  (if (string=? s "") ""
      (let loop ((i 1) (c (string-ref s 0)) (n 1) (acc ""))
        (cond ((= i (string-length s)) (string-append acc (string c) (number->string n)))
              ((char=? (string-ref s i) c) (loop (+ i 1) c (+ n 1) acc))
              (else (loop (+ i 1) (string-ref s i) 1 (string-append acc (string c) (number->string n))))))))
(display (rle "aaabccdddd")) (newline)
(display (rle "abc")) (newline)
(write (rle "")) (newline)
(display (rle "zzzzzzzzzzzz")) (newline)
