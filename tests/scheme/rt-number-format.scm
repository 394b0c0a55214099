;; Formatting numbers: padding with make-string, thousands separators,
;; other radixes, all strings made as the program runs.
(define (pad-left s n)
  (if (>= (string-length s) n) s
      (string-append (make-string (- n (string-length s)) #\space) s)))
(define (group n)
  (let* ((s (number->string (abs n)))
         (len (string-length s)))
    (let loop ((i len) (acc ""))
      (if (<= i 3)
          (string-append (if (< n 0) "-" "") (substring s 0 i) acc)
          (loop (- i 3) (string-append "," (substring s (- i 3) i) acc))))))
(for-each (lambda (n) (display (pad-left (group n) 15)) (newline))
          (list 0 7 1234 -98765 1000000 2147483647 -2147483647))
(define (hex n) (string-append "#x" (number->string n 16)))
(write (list (hex 255) (number->string 10 2) (number->string -35 36))) (newline)
(display (string-append "[" (pad-left (number->string 42) 6) "]")) (newline)
