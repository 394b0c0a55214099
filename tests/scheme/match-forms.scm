;; (ice-9 match): match-lambda, match-lambda*, match-let, match-let*, and
;; match in a long tail-recursive loop.
(use-modules (ice-9 match))
(define area
  (match-lambda
    (('square s) (* s s))
    (('rect w h) (* w h))
    (_ 0)))
(write (map area '((square 3) (rect 2 5) (circle 1)))) (newline)
(define join
  (match-lambda*
    (() "")
    ((s) s)
    ((s . more) (string-append s "," (apply join more)))))
(write (list (join) (join "a") (join "a" "b" "c"))) (newline)
(write (match-let (((a b) '(1 2)) ((c . d) '(3 4 5))) (list a b c d))) (newline)
(write (match-let ((x 1) (y 2)) (+ x y))) (newline)
(write (match-let* (((a b) '(1 2)) ((c) (list (+ a b)))) (list a b c))) (newline)
(define (count-odds l)
  (let loop ((l l) (n 0))
    (match l
      (() n)
      (((? odd?) . rest) (loop rest (+ n 1)))
      ((_ . rest) (loop rest n)))))
(write (count-odds (iota 50000))) (newline)
(define (alist-keys al) (match al (((k . _) ...) k)))
(write (alist-keys '((a . 1) (b . 2)))) (newline)
(define swap (match-lambda ((a . b) (cons b a))))
(write (map swap '((1 . 2) (3 . 4)))) (newline)
