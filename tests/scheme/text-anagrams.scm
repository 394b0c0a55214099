;; Anagrams by sorting the characters of each word.
(define (insert c l) (if (or (null? l) (char<=? c (car l))) (cons c l) (cons (car l) (insert c (cdr l)))))
(define (sort-chars s) (list->string (let loop ((l (string->list s))) (if (null? l) '() (insert (car l) (loop (cdr l)))))))
(define (anagrams? a b) (string=? (sort-chars a) (sort-chars b)))
(display (sort-chars "scheme")) (newline)
(display (list (anagrams? "listen" "silent") (anagrams? "apple" "paple") (anagrams? "abc" "abd"))) (newline)
