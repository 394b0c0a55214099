;; break from a local procedure inside a let that shadows the loop's
;; counter, reading a variable of the enclosing procedure (one the
;; while's lambda captures: compiled, the local procedure is passed it).
(define (shadowed n)
  (let ((i 0))
    (while #t
      (set! i (+ i 1))
      (if (> i 9) (break))
      (let ((i (* i 3)))
        (let ((stop (lambda () (if (> i n) (break (list 'over i))) 0)))
          (stop))))))
(display (list (shadowed 5) (shadowed 100))) (newline)
