;; a reverse-Polish calculator over a vector of tokens that mixes numbers
;; and operator symbols, with a stack in a vector.
(define (rpn tokens)
  (let ((stack (make-vector 16 0)) (sp 0))
    (do ((i 0 (+ i 1))) ((= i (vector-length tokens)) (vector-ref stack (- sp 1)))
      (let ((t (vector-ref tokens i)))
        (if (integer? t)
            (begin (vector-set! stack sp t) (set! sp (+ sp 1)))
            (let ((b (vector-ref stack (- sp 1))) (a (vector-ref stack (- sp 2))))
              (set! sp (- sp 2))
              (vector-set! stack sp
                (case t ((+) (+ a b)) ((-) (- a b)) ((*) (* a b)) ((/) (quotient a b)) (else 0)))
              (set! sp (+ sp 1))))))))
(display (rpn (vector 3 4 '+ 2 '*))) (newline)
(display (rpn (vector 5 1 2 '+ 4 '* '+ 3 '-))) (newline)
(display (rpn (vector 100 -7 '/))) (newline)
