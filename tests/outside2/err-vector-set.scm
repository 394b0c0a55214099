;; vector-set! one past the end
(define v (make-vector 3 0))
(vector-set! v 0 'ok)
(display v) (newline)
(vector-set! v 3 (quote bad))
(display v) (newline)
