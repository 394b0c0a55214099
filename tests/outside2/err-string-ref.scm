;; string-ref past the end
(define s "abc")
(do ((i 0 (+ i 1))) ((> i 3))
  (write (string-ref s i)) (newline))
