;; cadr of a too-short list inside a helper, after printing a table
(define rows '((a 1) (b 2) (c)))
(for-each (lambda (r) (display (car r)) (display " -> ") (display (cadr r)) (newline)) rows)
