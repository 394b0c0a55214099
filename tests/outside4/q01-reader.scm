#| block
   comment |#
(define lst '(1 #;(ignored datum) 2 3))
(write lst) (newline)
(write (list #true #false #\x41 "\x41;BC" #\( #\) #\; #\" #\\)) (newline)
(write (let ([x 1] [y 2]) (+ x y))) (newline)
(write '(#x1F #b-101 #o17 +5 -0)) (newline)
(write "multi\
        line") (newline)
(write '#(a #(b) "c")) (newline)
(write '(a . b)) (newline)
(write 'sym-with-dash!?*<>=/+) (newline)
(write (quote #\space)) (newline)
(write (string #\alarm #\backspace #\delete #\escape #\null #\return)) (newline)
