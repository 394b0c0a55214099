;; what the unspecified value prints as
(display (if #f #f)) (newline)
(write (vector-fill! (make-vector 1 0) 0)) (newline)
(display (list (if #f #f))) (newline)
