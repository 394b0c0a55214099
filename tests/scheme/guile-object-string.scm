;; object->string: the text write gives a value
(write (object->string 42)) (newline)
(write (object->string '(a "b" #\c (1 . 2) #(x)))) (newline)
(write (object->string "q\"x")) (newline)
(display (string-append "sym=" (object->string 'sym) ", list=" (object->string (list 1 2 3)))) (newline)
