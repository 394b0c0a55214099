(define-record-type point
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y))
(define p (make-point 3 4))
(display (point-x p)) (display ",") (display (point-y p)) (newline)
(set-point-x! p 10)
(display (point-x p)) (newline)
(display (point? p)) (display (point? 5)) (newline)
(define (dist2 a b) (let ((dx (- (point-x a) (point-x b))) (dy (- (point-y a) (point-y b)))) (+ (* dx dx) (* dy dy))))
(display (dist2 p (make-point 0 0))) (newline)
