(write (string->number "2147483647")) (newline)
(write (string->number "4294967296")) (newline)
