;;; expect: error
;; probe3 (outside-style): the program stops with a run-time error after its first output
(define s "hello")
(define (char-at i) (string-ref s i))
(display (char-at 4)) (newline)
(display (char-at 5)) (newline)
