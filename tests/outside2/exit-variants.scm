;; exit with #t, #f and zero
(display "start") (newline)
(define mode 2)
(cond ((= mode 1) (exit #t))
      ((= mode 2) (display "exiting false") (newline) (exit #f))
      (else (exit 0)))
(display "not reached") (newline)
