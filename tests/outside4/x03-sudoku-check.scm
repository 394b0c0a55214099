(use-modules (srfi srfi-1))
(define grid
  (vector 5 3 4 6 7 8 9 1 2  6 7 2 1 9 5 3 4 8  1 9 8 3 4 2 5 6 7
          8 5 9 7 6 1 4 2 3  4 2 6 8 5 3 7 9 1  7 1 3 9 2 4 8 5 6
          9 6 1 5 3 7 2 8 4  2 8 7 4 1 9 6 3 5  3 4 5 2 8 6 1 7 9))
(define (cell r c) (vector-ref grid (+ (* r 9) c)))
(define (valid-group? cells) (equal? (sort cells <) '(1 2 3 4 5 6 7 8 9)))
(define (row r) (map (lambda (c) (cell r c)) (iota 9)))
(define (col c) (map (lambda (r) (cell r c)) (iota 9)))
(define (box b) (let ((r0 (* 3 (quotient b 3))) (c0 (* 3 (remainder b 3))))
                  (apply append (map (lambda (dr) (map (lambda (dc) (cell (+ r0 dr) (+ c0 dc))) '(0 1 2))) '(0 1 2)))))
(define (valid?) (and (every valid-group? (map row (iota 9))) (every valid-group? (map col (iota 9))) (every valid-group? (map box (iota 9)))))
(display (valid?)) (newline)
(vector-set! grid 0 3)
(display (valid?)) (newline)
(display (map (lambda (r) (valid-group? (row r))) (iota 9))) (newline)
