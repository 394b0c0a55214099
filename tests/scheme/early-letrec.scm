;;; expect: error
;; letrec inits read later variables only through procedures called
;; later; (letrec ((a b) (b 2)) a) reads b before its init has run.
(display (letrec ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1)))))
                  (odd? (lambda (n) (if (= n 0) #f (even? (- n 1))))))
           (even? 10)))
(newline)
(display (letrec ((a b) (b 2)) a))
(newline)
