;; small syntax-rules macros a user writes first: swap!, a counting for
;; loop, and an unless-like my-if-not, used on vectors and integers.
(define-syntax swap!
  (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax for
  (syntax-rules (from to)
    ((_ i from lo to hi body ...) (do ((i lo (+ i 1))) ((> i hi)) body ...))))
(define-syntax my-if-not
  (syntax-rules () ((_ c a b) (if c b a))))
(define x 1)
(define y 2)
(swap! x y)
(display x) (display y) (newline)
(define tmp 5)
(define other 6)
(swap! tmp other)
(display tmp) (display other) (newline)
(define v (make-vector 5 0))
(for i from 0 to 4 (vector-set! v i (* i i)))
(display v) (newline)
(for i from 1 to 3 (for j from 1 to i (display j)) (display " "))
(newline)
(display (my-if-not (> 1 2) 'then 'else)) (newline)
