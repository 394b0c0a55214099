;; Guile's exit throws 'quit: a catch of #t or quit takes it with exit's
;; arguments; the after thunks of the dynamic-winds it leaves run, also
;; when no catch takes it and the program stops.
(catch #t (lambda () (display 1) (exit 3)) (lambda a (display 'caught)))
(newline)
(write (catch #t (lambda () (exit 3)) (lambda a a))) (newline)
(write (catch 'quit (lambda () (exit #f)) (lambda a a))) (newline)
(write (catch #t (lambda () (exit)) (lambda a a))) (newline)
(define (f x) (if (> x 2) (exit x) x))
(write (catch #t (lambda () (+ (f 1) (f 5))) (lambda (k . a) (list k a)))) (newline)
(write (catch #t
         (lambda ()
           (dynamic-wind (lambda () (display "[in]"))
                         (lambda () (exit 'sym))
                         (lambda () (display "[out]"))))
         (lambda (k . a) (cons k a))))
(newline)
(write (catch 'misc-error
         (lambda () (catch 'quit (lambda () (exit 9)) (lambda (k v) (* v 2))))
         (lambda a 'wrong)))
(newline)
(display (with-exception-handler (lambda (e) 5) (lambda () (exit 2)) #:unwind? #t))
(newline)
(write (catch 'quit (lambda () (throw 'quit 4)) (lambda a a))) (newline)
(dynamic-wind (lambda () (display "before "))
              (lambda () (display "body ") (exit 0) (display "not reached"))
              (lambda () (display "after") (newline)))
(display "not reached either")
