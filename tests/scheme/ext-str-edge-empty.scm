;; strings at their edges: empty pieces from string-split, empty joins,
;; empty substrings and conversions of empty things.
(write (string-split "" #\,)) (write (string-split "," #\,)) (write (string-split "a,,b," #\,)) (newline)
(write (string-join '())) (write (string-join '("x"))) (write (string-join '("a" "b" "c") "")) (newline)
(write (substring "hello" 2 2)) (write (substring "hello" 5)) (write (list->string '())) (newline)
(write (string->list "abc" 1)) (write (string->list "abc" 1 2)) (write (string->list "")) (newline)
(write (string-contains "" "")) (write (string-contains "abc" "")) (write (string-contains "" "a")) (newline)
(write (string-trim "   ")) (write (string-trim-both "\t x \n")) (write (string-trim-right "x  ")) (newline)
(write (number->string 0)) (write (number->string -1 2)) (write (string->number "-0")) (write (string->number "#x-ff")) (newline)
(write (string->number "+")) (write (string->number "#b102")) (write (string->number "0x10")) (newline)
(write (string-copy "abc" 1 2)) (write (string-append)) (write (make-string 0 #\a)) (newline)
(write (string-prefix? "" "abc")) (write (string-suffix? "abc" "c")) (write (string-null? (string))) (newline)
