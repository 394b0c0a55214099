;;; expect: error
;; string-ref past the end is a run-time error after the output so far
(define s "abc")
(display (string-ref s 2))
(newline)
(display (string-ref s 3))
(newline)
