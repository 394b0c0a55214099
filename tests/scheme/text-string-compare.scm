;; Comparing strings: lexicographic order, case-insensitive equality, prefixes.
(display (list (string<? "apple" "banana") (string<? "apple" "app") (string>? "b" "abc"))) (newline)
(display (list (string=? "x" "x" "x") (string-ci=? "HeLLo" "hello"))) (newline)
(define (prefix? p s) (and (<= (string-length p) (string-length s)) (string=? p (substring s 0 (string-length p)))))
(display (list (prefix? "pre" "prefix") (prefix? "fix" "prefix") (prefix? "" "x"))) (newline)
(define (smallest l) (if (null? (cdr l)) (car l) (let ((m (smallest (cdr l)))) (if (string<? (car l) m) (car l) m))))
(display (smallest '("pear" "fig" "apple" "kiwi"))) (newline)
