;; Towers of Hanoi: print moves for 3 discs, count for more
(define (hanoi n from to via)
  (if (> n 0)
      (begin
        (hanoi (- n 1) from via to)
        (display "move disc ") (display n)
        (display " from ") (display from)
        (display " to ") (display to) (newline)
        (hanoi (- n 1) via to from))))
(hanoi 3 'A 'C 'B)
(define (count-moves n)
  (if (= n 0) 0 (+ 1 (* 2 (count-moves (- n 1))))))
(display (map count-moves '(1 2 3 4 5 10 20)))
(newline)
