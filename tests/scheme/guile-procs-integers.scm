;; Guile's integer procedures: bit lengths and counts, bit tests, the
;; euclidean, centered and round divisions, sqrt of perfect squares.
(define (show . xs) (for-each display xs) (newline))

(show (map integer-length '(0 1 2 7 8 255 256 -1 -2 -8 -9 2147483647 -2147483648)))
(show (map logcount '(0 1 7 8 255 -1 -8 2147483647 -2147483648)))
(show (list (logbit? 0 5) (logbit? 1 5) (logbit? 2 5) (logbit? 31 -1) (logbit? 30 1) (logbit? 3 -8)))
(show (list (logtest 4 5) (logtest 2 5) (logtest -1 1)))
(define (bits n) (let loop ((i (- (integer-length n) 1)) (acc '()))
                   (if (< i 0) (reverse acc) (loop (- i 1) (cons (if (logbit? i n) 1 0) acc)))))
(show (bits 10) " " (bits 255) " " (bits 1))

(define (show-div name f n d)
  (call-with-values (lambda () (f n d))
    (lambda (q r) (display (list name n d q r)) (newline))))
(for-each
 (lambda (n d)
   (show-div 'euclidean euclidean/ n d)
   (show-div 'centered centered/ n d)
   (show-div 'round round/ n d)
   (show (list (euclidean-quotient n d) (euclidean-remainder n d)
               (centered-quotient n d) (centered-remainder n d)
               (round-quotient n d) (round-remainder n d))))
 '(-7 7 -7 7 5 7 -5 6 -6 0 13 -13 12 1 -1 9 -9 100)
 '(2 -2 -2 2 2 2 2 4 4 3 4 4 8 3 3 6 6 -7))

(show (map sqrt '(0 1 4 9 144 1000000 2147395600)))
(define (perfect-square? n)
  (call-with-values (lambda () (exact-integer-sqrt n)) (lambda (s r) (= r 0))))
(show (map (lambda (n) (if (perfect-square? n) (sqrt n) 'no)) '(16 17 25 26)))

(define g1 (gensym))
(define g2 (gensym "tmp"))
(show (list (symbol? g1) (symbol? g2) (eq? g1 g2) (eq? (gensym) (gensym))))
