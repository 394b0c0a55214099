;; sort is stable: pairs sorted by their first element keep the order of
;; equal keys; vectors and lists both, and sorting with a reversed test.
(define recs '((3 . a) (1 . b) (3 . c) (2 . d) (1 . e) (3 . f)))
(display (sort recs (lambda (x y) (< (car x) (car y))))) (newline)
(display (sort recs (lambda (x y) (> (car x) (car y))))) (newline)
(display (sort (vector 5 -1 3 -1 0) <)) (newline)
(display (sort '() <)) (display (sort (vector) <)) (newline)
(define v (vector 9 8 7))
(define s (sort v <))
(display v) (display s) (display (eq? v s)) (newline)
(display (sort (list 'b 'a) (lambda (x y) #f))) (newline)
