;;; expect: error
;; A string built from a later body define: an error, not a string made
;; of whatever the variable's place held.
(define (greet)
  (define msg (string-append greeting "!"))
  (define greeting "hello")
  msg)
(display "greeting:") (newline)
(display (greet)) (newline)
