;;; expect: error
;; length of an improper list.
(display (length '(1 2 3))) (newline)
(display (length (cons 1 2))) (newline)
