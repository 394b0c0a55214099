(define (shift s k)
  (list->string (map (lambda (c) (if (char-lower-case? c) (integer->char (+ 97 (modulo (+ k (- (char->integer c) 97)) 26))) c)) (string->list s))))
(define secret (shift "attack at dawn" 11))
(display secret) (newline)
(define (score s) (length (filter (lambda (c) (memv c '(#\e #\t #\a #\o #\n))) (string->list s))))
(define best
  (let loop ((k 0) (bk 0) (bs -1))
    (if (= k 26) bk
        (let ((sc (score (shift secret (- k))))) (if (> sc bs) (loop (+ k 1) k sc) (loop (+ k 1) bk bs))))))
(display best) (newline)
(display (shift secret (- best))) (newline)
