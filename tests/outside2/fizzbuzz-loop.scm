;; FizzBuzz 1..30 with a named let
(let loop ((i 1))
  (when (<= i 30)
    (cond ((= 0 (modulo i 15)) (display "FizzBuzz"))
          ((= 0 (modulo i 3)) (display "Fizz"))
          ((= 0 (modulo i 5)) (display "Buzz"))
          (else (display i)))
    (newline)
    (loop (+ i 1))))
