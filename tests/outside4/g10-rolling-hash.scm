(define (hash-string s)
  (let loop ((i 0) (h 0))
    (if (= i (string-length s)) h
        (loop (+ i 1) (modulo (+ (* h 31) (char->integer (string-ref s i))) 1000003)))))
(for-each (lambda (w) (display w) (display " ") (display (hash-string w)) (newline))
          '("hello" "world" "scheme" "transformer"))
