;; Kind errors on a value of a class that holds itself (a vector stored in
;; itself, a symbol stored in a vector of its class), in one form: the
;; report names the value (", not a symbol (a)", ", not an integer (445)").
(let ((v (vector 1 2)) (s 'a)) (vector-set! v 0 (if #f v s)) (>= (if #f v s) 1))
(let ((v (vector 1 2)) (i 0)) (while (< i 1) (vector-set! v 0 (if (< i 5) v 3)) (set! i (+ i 1))) (vector-set! (if (> i 5) v 445) 0 1))
