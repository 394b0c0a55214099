(define v (make-vector 3 0))
(vector-set! v 2 'ok)
(display v) (newline)
(vector-ref v 3)
