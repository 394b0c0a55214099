;; Splitting a sentence on spaces into a list of strings, with substring,
;; then joining the words back with string-append.
(define (split s)
  (let loop ((i 0) (start 0) (acc '()))
    (cond ((= i (string-length s))
           (reverse (if (> i start) (cons (substring s start i) acc) acc)))
          ((char=? (string-ref s i) #\space)
           (loop (+ i 1) (+ i 1) (if (> i start) (cons (substring s start i) acc) acc)))
          (else (loop (+ i 1) start acc)))))
(define words (split "  the quick  brown fox "))
(write words) (newline)
(display (length words)) (newline)
(define (join l sep)
  (if (null? l) ""
      (let loop ((rest (cdr l)) (acc (car l)))
        (if (null? rest) acc
            (loop (cdr rest) (string-append acc sep (car rest)))))))
(display (join words "-")) (newline)
(write (map string-length words)) (newline)
(define longest
  (let loop ((l words) (best ""))
    (cond ((null? l) best)
          ((> (string-length (car l)) (string-length best)) (loop (cdr l) (car l)))
          (else (loop (cdr l) best)))))
(write longest) (newline)
(write (string-upcase (join (reverse words) " "))) (newline)
