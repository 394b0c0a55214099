;; error with a symbol as the first argument, after output
(define (validate age)
  (if (or (< age 0) (> age 150))
      (error 'validate "age out of range" age)
      age))
(display (validate 30)) (newline)
(display (validate 200)) (newline)
