(define log '())
(define (note x) (set! log (cons x log)))
(dynamic-wind
  (lambda () (note 'before))
  (lambda () (note 'during))
  (lambda () (note 'after)))
(display (reverse log)) (newline)
(set! log '())
(define result
  (call/cc
   (lambda (k)
     (dynamic-wind
       (lambda () (note 'in))
       (lambda () (k 'escaped) (note 'not-here))
       (lambda () (note 'out))))))
(display result) (newline)
(display (reverse log)) (newline)
(set! log '())
(dynamic-wind
  (lambda () (note 1))
  (lambda ()
    (dynamic-wind (lambda () (note 2)) (lambda () (note 3)) (lambda () (note 4))))
  (lambda () (note 5)))
(display (reverse log)) (newline)
