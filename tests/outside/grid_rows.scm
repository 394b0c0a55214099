;; a board as a vector of rows; whole rows are replaced
(define board (vector (vector '- '- '-) (vector '- '- '-) (vector '- '- '-)))
(define (place! r c mark) (vector-set! (vector-ref board r) c mark))
(place! 0 0 'x)
(place! 1 1 'o)
(vector-set! board 2 (vector 'x 'x 'x))
(do ((r 0 (+ r 1))) ((= r 3)) (display (vector-ref board r)) (newline))
(define (row-win? r) (let ((row (vector-ref board r))) (and (eq? (vector-ref row 0) (vector-ref row 1)) (eq? (vector-ref row 1) (vector-ref row 2)) (not (eq? (vector-ref row 0) '-)))))
(display (list (row-win? 0) (row-win? 2))) (newline)
