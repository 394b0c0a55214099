;; formatting a table of numbers as right-aligned strings
(define (pad s n) (if (>= (string-length s) n) s (pad (string-append " " s) n)))
(define (row . cells) (for-each (lambda (c) (display (pad (if (number? c) (number->string c) c) 6))) cells) (newline))
(row "n" "n^2" "n^3")
(do ((i 1 (+ i 1))) ((> i 6)) (row i (* i i) (* i i i)))
(define (sum-digits-str s) (let loop ((i 0) (t 0)) (if (= i (string-length s)) t (loop (+ i 1) (+ t (char->integer (string-ref s i)) -48)))))
(display (sum-digits-str (number->string 123456789))) (newline)
(display (string->number (string-append "12" "34"))) (newline)
(write (map string->number '("1" "x" "-3" "+4" "007"))) (newline)
