;; expect: compiled
;; list? of a global integer in a branch whose other arm is the global:
;; refused by 67ac553 (a value of no kind reached from a global).
(define g -3)
(define (f) (display (if (list? g) g (list? g))) (display " ") (display g) (newline))
(f)
(set! g (list 1 2))
(f)
(set! g (list 'a (vector 1 "s") #\c))
(f)
(set! g 5)
(f)
(define v (vector))
(define (h) (display (if (list? v) 'l v)) (newline))
(h)
(set! v (vector (list 1 2) 'x))
(h)
(vector-set! v 0 (list (list 3)))
(h)
