;; list-ref, list-tail, last-pair and a hand-written take and drop.
(define xs '(a b c d e))
(display (list-ref xs 2)) (newline)
(display (list-tail xs 3)) (newline)
(display (last-pair xs)) (newline)
(define (take l n) (if (= n 0) '() (cons (car l) (take (cdr l) (- n 1)))))
(define (drop l n) (if (= n 0) l (drop (cdr l) (- n 1))))
(display (take xs 2)) (display (drop xs 2)) (newline)
(display (append (take xs 2) (drop xs 2))) (newline)
