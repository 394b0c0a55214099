(define-syntax repeat
  (syntax-rules () ((_ n body ...) (let loop ((k n)) (when (> k 0) body ... (loop (- k 1)))))))
(define count 0)
(repeat 10
  (set! count (+ count 1))
  (display count) (display " ")
  (when (= count 7) (newline) (exit (+ count 1))))
