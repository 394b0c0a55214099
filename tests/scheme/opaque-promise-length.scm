;;; expect: error
;; a promise is no list and no vector: length of one is a kind error
(define p (delay (list 1 2)))
(display (length (force p)))
(newline)
(display (vector? p))
(newline)
(display (length p))
