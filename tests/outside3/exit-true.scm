(define total (let loop ((i 0) (s 0)) (if (> i 10) s (loop (+ i 1) (+ s i)))))
(display "total ") (display total) (newline)
(exit #t)
