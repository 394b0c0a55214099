;; A grid of characters as a list of strings: print it, transpose it, count marks.
(define grid '("#.." ".#." "..#" "###"))
(for-each (lambda (row) (display row) (newline)) grid)
(define (column grid j) (list->string (map (lambda (row) (string-ref row j)) grid)))
(define (transpose grid) (let loop ((j 0)) (if (= j (string-length (car grid))) '() (cons (column grid j) (loop (+ j 1))))))
(write (transpose grid)) (newline)
(define (marks row) (length (filter (lambda (c) (char=? c #\#)) (string->list row))))
(display (apply + (map marks grid))) (newline)
