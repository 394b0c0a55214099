;; with-input-from-string: read-char, peek-char and read without a port read its string
(display (with-input-from-string "abc" read-char)) (newline)
(display (with-input-from-string "(a . b)" read)) (newline)
(display (with-input-from-string "xyz" (lambda () (let* ((a (read-char)) (b (peek-char)) (c (read-char))) (list a b c))))) (newline)
(write (with-input-from-string "" read-char)) (newline)
