;; Character codes in hexadecimal, two digits each, joined by spaces.
(define (hex2 n) (let ((s (number->string n 16))) (if (< n 16) (string-append "0" s) s)))
(define (dump s)
  (let loop ((cs (string->list s)) (acc ""))
    (cond ((null? cs) acc)
          ((string=? acc "") (loop (cdr cs) (hex2 (char->integer (car cs)))))
          (else (loop (cdr cs) (string-append acc " " (hex2 (char->integer (car cs)))))))))
(display (dump "Hi!\n")) (newline)
(display (dump "tvl")) (newline)
