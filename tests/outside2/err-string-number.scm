;; using the #f from a failed string->number in arithmetic
(define inputs '("10" "20" "x30"))
(define (total strs) (if (null? strs) 0 (+ (string->number (car strs)) (total (cdr strs)))))
(display (total '("1" "2"))) (newline)
(display (total inputs)) (newline)
