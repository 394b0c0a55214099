;; probe3 (outside-style program, written without looking at tests/scheme)
;; run-length encoding
(define (rle lst)
  (if (null? lst)
      '()
      (let loop ((rest (cdr lst)) (cur (car lst)) (count 1) (acc '()))
        (cond ((null? rest) (reverse (cons (list count cur) acc)))
              ((equal? (car rest) cur) (loop (cdr rest) cur (+ count 1) acc))
              (else (loop (cdr rest) (car rest) 1 (cons (list count cur) acc)))))))

(define (rle-string s)
  (apply string-append
         (map (lambda (p) (string-append (number->string (car p)) (string (cadr p))))
              (rle (string->list s)))))

(define (unrle s)
  (let loop ((cs (string->list s)) (n 0) (acc '()))
    (cond ((null? cs) (list->string (reverse acc)))
          ((char-numeric? (car cs))
           (loop (cdr cs) (+ (* n 10) (- (char->integer (car cs)) 48)) acc))
          (else (loop (cdr cs) 0 (append (make-list n (car cs)) acc))))))

(write (rle '(a a a b c c a a d e e e e))) (newline)
(write (rle-string "WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWBWWWWWWWWWWWWWW")) (newline)
(write (unrle "12W1B12W3B24W1B14W")) (newline)
(write (equal? (unrle (rle-string "aaabccddddd")) "aaabccddddd")) (newline)
(write (rle '())) (newline)
