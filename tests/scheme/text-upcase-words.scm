;; Capitalising each word, and upcase/downcase of whole strings.
(define (capitalize w)
  (if (string=? w "") w
      (string-append (string (char-upcase (string-ref w 0))) (string-downcase (substring w 1 (string-length w))))))
(define (title s)
  (let loop ((ws (string-split s #\space)) (acc ""))
    (cond ((null? ws) acc)
          ((string=? acc "") (loop (cdr ws) (capitalize (car ws))))
          (else (loop (cdr ws) (string-append acc " " (capitalize (car ws))))))))
(write (title "hello wORLD from scheme")) (newline)
(write (string-upcase "MiXeD 42")) (newline)
(write (string-downcase "MiXeD 42")) (newline)
