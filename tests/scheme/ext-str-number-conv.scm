;; number->string and string->number in several radixes, with signs,
;; prefixes and strings that are not numbers.
(define (show x) (write x) (display " "))
(show (number->string 255 2)) (show (number->string 255 16)) (show (number->string -255 8))
(show (number->string 2147483647 36)) (show (number->string -2147483648 16)) (show (number->string 0 2))
(newline)
(show (string->number "42")) (show (string->number "-17")) (show (string->number "+5"))
(show (string->number "ff" 16)) (show (string->number "#xff")) (show (string->number "#b1010"))
(show (string->number "777" 8)) (show (string->number "zz" 36)) (newline)
(show (string->number "abc")) (show (string->number "")) (show (string->number "-"))
(show (string->number "12x")) (show (string->number " 1")) (newline)
(define (round-trip n r) (= n (string->number (number->string n r) r)))
(display (round-trip -123456 7)) (display (round-trip 2147483647 2)) (newline)
