;; dynamic-wind order of before/thunk/after
(define trail '())
(define (note x) (set! trail (cons x trail)))
(dynamic-wind
  (lambda () (note 'before))
  (lambda () (note 'during))
  (lambda () (note 'after)))
(display (reverse trail)) (newline)
(define v (dynamic-wind (lambda () #f) (lambda () 42) (lambda () #f)))
(display v) (newline)
(set! trail '())
(catch 'my-error
  (lambda ()
    (dynamic-wind
      (lambda () (note 'in))
      (lambda () (throw 'my-error) (note 'not-here))
      (lambda () (note 'out))))
  (lambda (k . args) (note 'handler)))
(display (reverse trail)) (newline)
