;; Left and right folds written by hand, and what they build.
(define (fold-l f acc l) (if (null? l) acc (fold-l f (f acc (car l)) (cdr l))))
(define (fold-r f acc l) (if (null? l) acc (f (car l) (fold-r f acc (cdr l)))))
(display (fold-l + 0 '(1 2 3 4 5))) (newline)
(display (fold-l (lambda (acc x) (cons x acc)) '() '(1 2 3))) (newline)
(display (fold-r cons '() '(1 2 3))) (newline)
(display (fold-r (lambda (x acc) (if (odd? x) (cons x acc) acc)) '() '(1 2 3 4 5))) (newline)
(display (fold-l max 0 '(3 8 2))) (newline)
(display (fold-l - 0 '(1 2 3))) (display " ") (display (fold-r - 0 '(1 2 3))) (newline)
