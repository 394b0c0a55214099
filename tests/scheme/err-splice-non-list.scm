;;; expect: error
;; ,@ of something that is not a list, before the end of the template.
(display `(ok ,@(list 1 2))) (newline)
(define n 5)
(display `(1 ,@n 2))
