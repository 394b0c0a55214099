;; append! of global empty lists (iota 0, map over it): the lists' cars are
;; of no kind, so their display is never reached.  Found by the soak (seed
;; 20261207, program 1094), where the define was refused.
(define ma30 (reverse (iota 0 -4)))
(define mb31 (map (lambda (x) (- (* x 3) 2)) (iota 0)))
(define ma30-ab (append! ma30 '() mb31))
(display (list ma30 mb31 ma30-ab))
(newline)
(set! ma30 (list 1 2))
(define ab2 (append! ma30 '() mb31))
(display ab2)
(newline)
(set! mb31 (map (lambda (x) (- (* x 3) 2)) (iota 3)))
(define ab3 (append! '() '() mb31))
(display ab3)
(newline)
