;; Fahrenheit to Celsius table with integer arithmetic, aligned columns
(define (f->c f) (quotient (* (- f 32) 5) 9))
(define (pad n width)
  (let ((s (number->string n)))
    (string-append (make-string (max 0 (- width (string-length s))) #\space) s)))
(display "    F     C") (newline)
(do ((f -40 (+ f 20))) ((> f 220))
  (display (pad f 5)) (display (pad (f->c f) 6)) (newline))
