(display (quotient -2147483648 -1))
(newline)
