(define (show x) (format #f "~a|~s" x x))
(for-each (lambda (x) (display (show x)) (newline))
          (list 0 -15 "str" "q\"t" #\a #\space 'sym '() '(1 "a" #\b) (vector 1 'x "y") #t #f (cons 1 2) '(a . (b . c))))
