;; tic-tac-toe boards as vectors of symbols: the winner found through a
;; table of the eight lines, and a full game search that counts outcomes.
(define lines (vector (vector 0 1 2) (vector 3 4 5) (vector 6 7 8) (vector 0 3 6)
                      (vector 1 4 7) (vector 2 5 8) (vector 0 4 8) (vector 2 4 6)))
(define (winner b)
  (let loop ((k 0))
    (if (= k 8) 'none
        (let* ((l (vector-ref lines k)) (a (vector-ref b (vector-ref l 0))))
          (if (and (not (eq? a '_)) (eq? a (vector-ref b (vector-ref l 1))) (eq? a (vector-ref b (vector-ref l 2))))
              a
              (loop (+ k 1)))))))
(display (winner (vector 'x 'o '_ 'o 'x '_ '_ '_ 'x))) (display " ")
(display (winner (vector 'o 'o 'o 'x 'x '_ '_ '_ 'x))) (display " ")
(display (winner (vector 'x 'o 'x 'x 'o 'o 'o 'x 'x))) (newline)
(define xwins 0) (define owins 0) (define draws 0)
(define (play! b player moves)
  (let ((w (winner b)))
    (cond ((eq? w 'x) (set! xwins (+ xwins 1)))
          ((eq? w 'o) (set! owins (+ owins 1)))
          ((= moves 9) (set! draws (+ draws 1)))
          (else
           (do ((i 0 (+ i 1))) ((= i 9))
             (when (eq? (vector-ref b i) '_)
               (vector-set! b i player)
               (play! b (if (eq? player 'x) 'o 'x) (+ moves 1))
               (vector-set! b i '_)))))))
(define board (vector 'x 'o 'x '_ '_ '_ '_ '_ '_))
(play! board 'o 3)
(display xwins) (display " ") (display owins) (display " ") (display draws) (newline)
