;; The floor and truncate divisions of R7RS and exact-integer-sqrt, with
;; their two values taken by call-with-values.
(define (both producer) (call-with-values producer list))
(for-each
 (lambda (nd)
   (let ((n (car nd)) (d (cadr nd)))
     (display (list n d
                    (both (lambda () (floor/ n d)))
                    (both (lambda () (truncate/ n d)))
                    (floor-quotient n d) (floor-remainder n d)
                    (truncate-quotient n d) (truncate-remainder n d)))
     (newline)))
 '((7 2) (-7 2) (7 -2) (-7 -2) (0 5) (6 3)))
(for-each (lambda (k) (display (both (lambda () (exact-integer-sqrt k)))))
          '(0 1 2 3 4 15 16 17 1000000 2147483647))
(newline)
