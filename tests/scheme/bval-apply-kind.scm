;;; expect: error
;; apply of string-append to a list holding a number.
(define parts (map number->string '(1 2 3)))
(display (apply string-append parts)) (newline)
(display (apply string-append (append parts (list 4)))) (newline)
