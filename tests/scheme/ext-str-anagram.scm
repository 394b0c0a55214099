;; anagrams by counting letters in a vector of 26, and sorting the
;; characters of a word with list->string and sort.
(define (letter-counts s)
  (let ((v (make-vector 26 0)))
    (string-for-each
      (lambda (c)
        (when (char-alphabetic? c)
          (let ((k (- (char->integer (char-downcase c)) 97)))
            (vector-set! v k (+ 1 (vector-ref v k))))))
      s)
    v))
(define (anagrams? a b) (equal? (letter-counts a) (letter-counts b)))
(display (anagrams? "Listen" "Silent")) (display (anagrams? "abc" "abd"))
(display (anagrams? "Dormitory" "dirty room")) (newline)
(define (sorted-word w) (list->string (sort (string->list w) char<?)))
(write (sorted-word "banana")) (write (sorted-word "")) (newline)
(write (map sorted-word '("stop" "pots" "tops" "opts"))) (newline)
