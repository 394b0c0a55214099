;; constant strings and odd symbols printed from compiled code: escapes
;; that write must add back, non-ASCII text, and symbols made of operators.
(define (show-consts)
  (write "bell\a del\x7f one\x01 esc\x1b") (newline)
  (write "é λ 日本") (display " ") (display "é λ 日本") (newline)
  (write "cr\r ff\f vt\v bs\b nul-free") (newline)
  (write '+) (write '-) (write '...) (write '->x) (write 'a.b) (write '<=?) (newline)
  (display (vector '+ '- '* '/)) (write (vector 'x->y '!$%&)) (newline))
(show-consts)
(define (loop-print n)
  (do ((i 0 (+ i 1))) ((= i n))
    (write "q\"") (display "\\") (display i)))
(loop-print 3) (newline)
