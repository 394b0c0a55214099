;; arithmetic on values at the boundaries where a compiled value changes
;; its encoding (16 bits, 24 bits, 31 bits), each paired with small
;; partners, folded into one checksum per operation (a macro, so that
;; each operation is called by name).
(define edges (vector -2147483648 -2147483647 -16777217 -16777216 -65537 -65536 -32769 -32768 -32767
                      -1 0 1 32766 32767 32768 32769 65535 65536 16777215 16777216 2147483646 2147483647))
(define partners (vector -3 -2 -1 1 2 3 7 256 32768))
(define-syntax fold-op
  (syntax-rules ()
    ((_ op)
  (let ((h 0))
    (do ((i 0 (+ i 1))) ((= i (vector-length edges)) h)
      (do ((j 0 (+ j 1))) ((= j (vector-length partners)))
        (let ((x (vector-ref edges i)) (y (vector-ref partners j)))
          (set! h (modulo (+ (* h 131) (modulo (op x y) 1000003)) 1000003)))))))))
(define (q x y) (if (and (= x -2147483648) (= y -1)) 0 (quotient x y)))
(define (r x y) (remainder x y))
(define (m x y) (modulo x y))
(define (a x y) (logand x y))
(define (o x y) (logior x y))
(define (e x y) (logxor x y))
(define (half x y) (+ (quotient x 2) (quotient y 2)))
(define (cmp x y) (+ (if (< x y) 1 0) (if (= x y) 2 0) (if (> x y) 4 0)))
(define (sh x y) (+ (ash x -1) (ash x -16) (ash x -30) (ash y 3)))
(define (ng x y) (if (= x -2147483648) y (- x)))
(display (fold-op q)) (display " ") (display (fold-op r)) (display " ") (display (fold-op m)) (newline)
(display (fold-op a)) (display " ") (display (fold-op o)) (display " ") (display (fold-op e)) (newline)
(display (fold-op half)) (display " ") (display (fold-op cmp)) (display " ") (display (fold-op sh)) (display " ") (display (fold-op ng)) (newline)
