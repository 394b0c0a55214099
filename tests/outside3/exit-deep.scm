;; exit from deep inside a non-tail recursion, with pending output
(define (walk n)
  (when (= (modulo n 1000) 0) (display n) (display " "))
  (if (= n 4500)
      (begin (newline) (display "bailing out at depth ") (display n) (newline) (exit 7))
      (+ 1 (walk (+ n 1)))))
(display (walk 0))
(newline)
