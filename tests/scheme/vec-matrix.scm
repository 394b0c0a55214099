;; matrices stored row by row in flat vectors: product, transpose, trace.
(define (make-matrix rows cols fill) (make-vector (* rows cols) fill))
(define (mref m cols r c) (vector-ref m (+ (* r cols) c)))
(define (mset! m cols r c x) (vector-set! m (+ (* r cols) c) x))

(define (mat-mul a b n k m)
  (let ((c (make-matrix n m 0)))
    (do ((i 0 (+ i 1))) ((= i n) c)
      (do ((j 0 (+ j 1))) ((= j m))
        (do ((t 0 (+ t 1))) ((= t k))
          (mset! c m i j (+ (mref c m i j) (* (mref a k i t) (mref b m t j)))))))))

(define (transpose a rows cols)
  (let ((t (make-matrix cols rows 0)))
    (do ((i 0 (+ i 1))) ((= i rows) t)
      (do ((j 0 (+ j 1))) ((= j cols))
        (mset! t rows j i (mref a cols i j))))))

(define (print-matrix m rows cols)
  (do ((i 0 (+ i 1))) ((= i rows))
    (do ((j 0 (+ j 1))) ((= j cols))
      (display (mref m cols i j))
      (display (if (= j (- cols 1)) "" " ")))
    (newline)))

(define a (vector 1 2 3
                  4 5 6))
(define b (vector 7 8
                  9 10
                  11 12))
(define c (mat-mul a b 2 3 2))
(print-matrix c 2 2)
(print-matrix (transpose a 2 3) 3 2)

;; powers of a 2x2 matrix: Fibonacci numbers
(define (mat-pow m e)
  (let loop ((e e) (acc (vector 1 0 0 1)) (base m))
    (cond ((= e 0) acc)
          ((odd? e) (loop (quotient e 2) (mat-mul acc base 2 2 2) (mat-mul base base 2 2 2)))
          (else (loop (quotient e 2) acc (mat-mul base base 2 2 2))))))
(display (mref (mat-pow (vector 1 1 1 0) 30) 2 0 1)) (newline)

(define id (make-matrix 4 4 0))
(do ((i 0 (+ i 1))) ((= i 4)) (mset! id 4 i i 1))
(define trace 0)
(do ((i 0 (+ i 1))) ((= i 4)) (set! trace (+ trace (mref id 4 i i))))
(display trace) (newline)
