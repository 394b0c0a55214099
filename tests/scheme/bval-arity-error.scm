;;; expect: error
;; apply of a string builtin with the wrong number of arguments.
(write (apply string-upcase '("ok"))) (newline)
(write (apply string-upcase '("a" "b"))) (newline)
