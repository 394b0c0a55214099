(define out (with-output-to-string (lambda () (for-each display '(1 2 3)))))
(write out) (newline)
