;; read from string ports: Guile's read (each datum written back as write
;; writes it), call-with-input-string.
(define (show-all s)
  (let ((p (open-input-string s)))
    (let loop ()
      (let ((x (read p)))
        (if (not (eof-object? x))
            (begin (write x) (newline) (loop)))))))
(show-all " 1 abc \"s\" (x . y) #\\a ; comment\n  #t -5 +7 - ... 'q `(a ,b ,@c) [1 2]")
(show-all "kept #\\newline #\\space \"t\\\\\\\"q\\n\" #(1 (2) \"v\") (a b . (c)) #false #true 12345 (a (b (c))) ()")
(write (read (open-input-string ""))) (newline)
(write (read (open-input-string "   ; only a comment"))) (newline)
(display (call-with-input-string "(1 2) foo" read)) (newline)
