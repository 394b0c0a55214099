;;; expect: error
;; An error inside a procedure called from nested winds: the after thunks
;; run innermost first, each once, before the program stops.
(define log '())
(define (note x) (set! log (cons x log)) (display x) (newline))
(define (pick v i) (vector-ref v i))
(define (inner)
  (dynamic-wind
    (lambda () (note 'inner-in))
    (lambda () (note 'working) (pick (vector 1 2 3) (+ 1 (length log))))
    (lambda () (note 'inner-out))))
(define (outer)
  (dynamic-wind
    (lambda () (note 'outer-in))
    inner
    (lambda () (note 'outer-out) (display (reverse log)) (newline))))
(dynamic-wind (lambda () #t) (lambda () (display (pick (vector 10 20) 1)) (newline)) (lambda () (note 'first-done)))
(outer)
