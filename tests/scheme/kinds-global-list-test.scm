;; list? of a global that holds an integer, in a branch whose other arm
;; is the global itself: the global's class is walked as a list (its
;; cars are of no kind, no pair ever enters it), and the value displayed
;; is a boolean or the integer.  Found by the soak (seed 20261207,
;; program 144).  Later forms give the global lists, a vector and an
;; integer again: each call runs a program compiled for what it holds.
(define g8 -3)
(display (if #t (list? g8) g8))
(newline)
(display (if (pair? (memv 8 (list '() (list 9 1) 'c))) (vector (list? g8) 1) g8))
(newline)
(define (f) (display (if (list? g8) g8 (list? g8))) (display " ") (display g8) (newline))
(f)
(set! g8 (list 1 2))
(f)
(set! g8 (list 'a (vector 1 "s") #\c (list 'b)))
(f)
(write g8)
(newline)
(set! g8 5)
(f)
(define v (vector))
(define (h) (display (if (list? v) 'l v)) (newline))
(h)
(set! v (vector (list 1 2) 'x))
(h)
(vector-set! v 0 (list (list 3)))
(h)
(define (len-or-self x) (if (list? x) (length x) x))
(display (len-or-self g8))
(display (len-or-self '(1 2 3)))
(newline)
