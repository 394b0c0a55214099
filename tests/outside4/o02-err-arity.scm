(define (area w h) (* w h))
(display (area 3 4)) (newline)
(display (area 3)) (newline)
