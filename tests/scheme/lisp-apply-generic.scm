;; Dispatch on the kind of an argument with a table of (predicate . handler) pairs.
(define handlers
  (list (cons number? (lambda (x) (* x 2)))
        (cons symbol? (lambda (x) (list 'sym x)))
        (cons pair? (lambda (x) (length x)))
        (cons null? (lambda (x) 'nothing))))
(define (handle x)
  (let loop ((hs handlers))
    (cond ((null? hs) 'unhandled)
          (((caar hs) x) ((cdar hs) x))
          (else (loop (cdr hs))))))
(display (map handle (list 21 'a '(1 2 3) '() "s" #t))) (newline)
