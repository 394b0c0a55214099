;;; expect: error
;; A local procedure passed to map by an earlier define reads a later one.
(define (scaled lst)
  (define (scale x) (* x factor))
  (define result (map scale lst))
  (define factor 3)
  result)
(display (map (lambda (x) (+ x 1)) '(1 2 3))) (newline)
(display (scaled '(1 2 3))) (newline)
