;; type predicates over a mixed list
(define items (list 1 -5 "s" #\c 'sym '() '(1) (vector) #t #f car (lambda (x) x) '(1 . 2)))
(define preds (list number? integer? string? char? symbol? null? pair? list? vector? boolean? procedure?))
(define names '(number integer string char symbol null pair list vector boolean procedure))
(for-each
 (lambda (name pred)
   (display name) (display ": ")
   (display (map (lambda (x) (if (pred x) 1 0)) items))
   (newline))
 names preds)
(display (list (exact? 5) (exact-integer? 5) (list? '(1 . 2)) (list? '()))) (newline)
