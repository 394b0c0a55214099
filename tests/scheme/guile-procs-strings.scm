;; Guile's core string procedures beyond R7RS: searching from the right,
;; deleting and keeping characters, title case, copying into a string or
;; a vector in place.
(define (show . xs) (for-each display xs) (newline))

(define (basename path)
  (let ((slash (string-rindex path #\/)))
    (if slash (substring path (+ slash 1) (string-length path)) path)))
(define (extension path)
  (let ((dot (string-index-right path #\.)))
    (and dot (substring path (+ dot 1) (string-length path)))))
(show (basename "/usr/local/lib/libtvl.so") " " (basename "plain"))
(write (list (extension "notes.txt") (extension "archive.tar.gz") (extension "README")))
(newline)
(show (string-rindex "abcabc" char-alphabetic? 1 4) " " (string-index-right "a1b2c" char-numeric?))
(write (string-rindex "abc" #\z)) (newline)

(show (string-concatenate '("con" "cat" "en" "ate")))
(write (string-concatenate '())) (newline)
(show (string-concatenate (map (lambda (w) (string-append w ",")) '("a" "b" "c"))))

(show (string-delete #\a "banana") " " (string-delete char-whitespace? " a b  c "))
(show (string-filter char-numeric? "tel: 555-0199") " " (string-filter #\a "banana"))
(show (string-filter char-alphabetic? "a1b2c3" 2) "|" (string-delete char-alphabetic? "a1b2c3" 0 4))

(define (title s) (string-titlecase s))
(write (map title '("hello wORLD" "foo-bar baz_qux" "3abc x'y" "" "a1b2 c_d"))) (newline)
(show (string-titlecase "the quick brown fox" 4 9))

(show (string-contains-ci "Hello World" "WORLD") " " (string-contains-ci "Scheme" "SCH"))
(write (string-contains-ci "abc" "d")) (newline)

(show (reverse-list->string '(#\a #\b #\c)) " " (reverse-list->string (string->list "stressed")))

(define buf (make-string 10 #\.))
(string-copy! buf 0 "tvl")
(string-copy! buf 4 "guile scheme" 6 12)
(show buf)
(define s (string-copy "abcdefgh"))
(string-copy! s 0 s 3)
(show s)
(define s2 (string-copy "abcdefgh"))
(string-copy! s2 3 s2 0 5)
(show s2)

(define v (make-vector 6 0))
(vector-copy! v 1 #(1 2 3))
(show v)
(vector-copy! v 4 #(7 8 9) 1)
(show v)
(define w (vector 1 2 3 4 5))
(vector-copy! w 0 w 2)
(show w)
(define u (vector 1 2 3 4 5))
(vector-copy! u 2 u 0 3)
(show u)
