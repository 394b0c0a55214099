;; expect: compiled
;; vector-ref of a global that holds a list (a tree built by a named let):
;; the element is of no kind (no vector ever enters the class), so its
;; display is never reached; the kind error comes first, in both modes
;; with the evaluator's text.  Found by the soak (seed 20261207,
;; program 755), where it was refused.
(define (insert t k)
  (cond ((null? t) (list k '() '()))
        ((< k (car t)) (list (car t) (insert (cadr t) k) (caddr t)))
        ((> k (car t)) (list (car t) (cadr t) (insert (caddr t) k)))
        (else t)))
(define tree (let loop ((ks '(13 41 7)) (t '())) (if (null? ks) t (loop (cdr ks) (insert t (car ks))))))
(display tree)
(newline)
(display (vector-ref tree 0))
(newline)
