;; Palindromes, ignoring case and everything but letters.
(define (clean s) (list->string (filter char-alphabetic? (map char-downcase (string->list s)))))
(define (palindrome? s) (let ((c (clean s))) (string=? c (list->string (reverse (string->list c))))))
(for-each (lambda (s) (write s) (display " ") (display (palindrome? s)) (newline))
  '("racecar" "A man, a plan, a canal: Panama" "hello" "" "No lemon, no melon" "ab"))
