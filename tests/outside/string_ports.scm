(define (list->csv lst)
  (call-with-output-string
   (lambda (port)
     (let loop ((l lst) (first #t))
       (unless (null? l)
         (unless first (display "," port))
         (write (car l) port)
         (loop (cdr l) #f))))))
(display (list->csv '(1 "two" three #\4))) (newline)
