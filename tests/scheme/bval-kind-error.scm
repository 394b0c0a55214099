;;; expect: error
;; A string builtin passed to map meets a value of the wrong kind: the
;; same error as its direct call, after the output before it.
(write (map string-length '("a" "bb"))) (newline)
(write (map string-length '("a" 5))) (newline)
