;;; expect: error
;; car of a hash table is a kind error (Guile: Wrong type argument), not
;; the car of the table's representation
(define h (make-hash-table))
(hash-set! h 'k 1)
(display (hash-ref h 'k))
(newline)
(display (car h))
