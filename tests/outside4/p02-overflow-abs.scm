(display (abs -2147483648))
(newline)
