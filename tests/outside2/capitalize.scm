;; capitalise each word, title case, and upcase/downcase whole strings
(define (capitalize-words s)
  (let loop ((cs (string->list s)) (start #t) (acc '()))
    (cond ((null? cs) (list->string (reverse acc)))
          ((char-alphabetic? (car cs))
           (loop (cdr cs) #f
                 (cons (if start (char-upcase (car cs)) (char-downcase (car cs))) acc)))
          (else (loop (cdr cs) #t (cons (car cs) acc))))))
(display (capitalize-words "hello wORLD, this is scheme")) (newline)
(display (capitalize-words "  leading spaces  and-dashes")) (newline)
(display (string-upcase "Mixed Case 123")) (newline)
(display (string-downcase "Mixed Case 123")) (newline)
(write (map char-upcase (string->list "abc!"))) (newline)
