;; builtins that take procedures print with Guile's argument lists
(write (list apply map for-each values string-append call-with-values)) (newline)
(display (vector filter reverse assq list-tail)) (newline)
