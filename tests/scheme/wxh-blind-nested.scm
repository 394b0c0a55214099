;; Handlers without #:unwind? that ignore the exception: an error inside one
;; goes to the catch around it, nested ones, raise-exception to them, a
;; throw through a dynamic-wind (the handler runs before the after thunk).
(define (show x) (write x) (newline))
(show (catch #t (lambda () (call/cc (lambda (k) (with-exception-handler (lambda (e) (car '())) (lambda () (error "x")))))) (lambda (key . args) key)))
(show (call/cc (lambda (outer) (with-exception-handler (lambda (e) (outer 'outer))
  (lambda () (call/cc (lambda (inner) (with-exception-handler (lambda (e) (inner 'inner)) (lambda () (vector-ref (vector) 1))))))))))
(show (call/cc (lambda (k) (with-exception-handler (lambda (e) (k 'raised)) (lambda () (raise-exception 'boom))))))
(show (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-exception 'c #:continuable? #t)))))
(define log '())
(show (call/cc (lambda (k) (with-exception-handler (lambda (e) (set! log (cons 'h log)) (k 'esc))
  (lambda () (dynamic-wind (lambda () (set! log (cons 'in log))) (lambda () (throw 'oops 1)) (lambda () (set! log (cons 'out log)))))))))
(show (reverse log))
(show (let loop ((i 0) (acc '())) (if (= i 3) (reverse acc) (loop (+ i 1) (cons (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'bad i))) (lambda () (if (= i 1) (error "one") i))))) acc)))))
