;;; unicode-tables.scm - writes lang/unicode-tables.h, the character
;;; classes, case mappings and `write` forms tvl uses, as GNU Guile 3 (the
;;; one that runs this script) answers them for every code point.
;;;
;;;   LC_ALL=C.UTF-8 guile --no-auto-compile -s tools/unicode-tables.scm \
;;;       > lang/unicode-tables.h
;;;
;;; tests/unicode-tables.sh runs it again and compares, so the tables stay
;;; Guile's.  Guile is asked through the procedures a program calls
;;; (char-alphabetic?, char-upcase, write ...), never through its internal
;;; tables, so what is recorded is exactly what a program sees.  The script
;;; stops with an error when Guile does something the C side does not model
;;; (a `write` form other than the character, a dotted circle before it, a
;;; name, an octal or hex escape; a case-insensitive comparison other than
;;; the one chars.c makes).

(define max-cp #x10FFFF)
(define (surrogate? cp) (and (>= cp #xD800) (<= cp #xDFFF)))

(define (fail . what)
  (for-each (lambda (x) (display x (current-error-port))) what)
  (newline (current-error-port))
  (exit 1))

(define (written x) (with-output-to-string (lambda () (write x))))

;; Guile's names in #\ literals: only the ASCII controls, space and delete.
(define (named? cp) (or (<= cp 32) (= cp 127)))

;; How `write` shows a character that has no name: 0 escaped (octal),
;; 1 the character itself, 2 a dotted circle then the character.
(define (char-form cp)
  (let* ((c (integer->char cp))
         (s (written c))
         (body (substring s 2)))
    (cond ((string=? body (string c)) 1)
          ((string=? body (string (integer->char #x25CC) c)) 2)
          ((string=? body (number->string cp 8)) 0)
          (else (fail "write of character " cp " gives " s)))))

(define (hex cp width)
  (let ((h (number->string cp 16)))
    (string-append (make-string (max 0 (- width (string-length h))) #\0) h)))

;; Whether `write` shows the character inside a string as itself (#t) or
;; as an escape (#f); the escapes must be the ones chars.c writes.
(define (string-literal? cp)
  (let* ((c (integer->char cp))
         (s (written (string c)))
         (body (substring s 1 (- (string-length s) 1))))
    (cond ((string=? body (string c)) #t)
          ((assv cp '((7 . "\\a") (8 . "\\b") (9 . "\\t") (10 . "\\n")
                      (11 . "\\v") (12 . "\\f") (13 . "\\r") (34 . "\\\"")
                      (92 . "\\\\")))
           => (lambda (e)
                (if (string=? body (cdr e)) #f
                    (fail "write of string of " cp " gives " s))))
          ((string=? body (cond ((<= cp #xFF) (string-append "\\x" (hex cp 2)))
                                ((<= cp #xFFFF) (string-append "\\u" (hex cp 4)))
                                (else (string-append "\\U" (hex cp 6)))))
           #f)
          (else (fail "write of string of " cp " gives " s)))))

;; Runs of code points where (pred cp) holds, as (lo . hi), surrogates
;; breaking no run (they are never characters).
(define (ranges pred)
  (let loop ((cp 0) (lo #f) (acc '()))
    (cond ((> cp max-cp)
           (reverse (if lo (cons (cons lo max-cp) acc) acc)))
          ((surrogate? cp) (loop (+ cp 1) lo acc))
          ((pred cp) (loop (+ cp 1) (or lo cp) acc))
          (lo (loop (+ cp 1) #f (cons (cons lo (- cp 1)) acc)))
          (else (loop (+ cp 1) #f acc)))))

;; The code points a case mapping changes, as (from . to).
(define (mapping f)
  (let loop ((cp max-cp) (acc '()))
    (cond ((< cp 0) acc)
          ((surrogate? cp) (loop (- cp 1) acc))
          (else
           (let ((to (char->integer (f (integer->char cp)))))
             (loop (- cp 1) (if (= to cp) acc (cons (cons cp to) acc))))))))

;; chars.c compares characters case-insensitively by their upper case
;; (char-ci=?) and strings by the lower case of the upper case of each
;; character (string-ci=?): check both against Guile for every character
;; and its case partners.
(define (check-ci)
  (let loop ((cp 0))
    (when (<= cp max-cp)
      (unless (surrogate? cp)
        (let ((c (integer->char cp)))
          ;; string-upcase and string-downcase map each character alone
          (unless (and (string=? (string-upcase (string c))
                                 (string (char-upcase c)))
                       (string=? (string-downcase (string c))
                                 (string (char-downcase c))))
            (fail "string-upcase or string-downcase of " cp))
          (for-each
           (lambda (o)
             (unless (eq? (char-ci=? c o)
                          (char=? (char-upcase c) (char-upcase o)))
               (fail "char-ci=? of " cp " and " (char->integer o)))
             (unless (eq? (string-ci=? (string c) (string o))
                          (char=? (char-downcase (char-upcase c))
                                  (char-downcase (char-upcase o))))
               (fail "string-ci=? of " cp " and " (char->integer o))))
           (list (char-upcase c) (char-downcase c)))))
      (loop (+ cp 1)))))

(define (emit-pairs name comment pairs)
  (format #t "/* ~a: ~a entries */\nstatic const int32_t ~a[][2] = {\n"
          comment (length pairs) name)
  (let loop ((l pairs) (k 0))
    (unless (null? l)
      (when (= (remainder k 6) 0) (display " "))
      (format #t " {~a, ~a}," (car (car l)) (cdr (car l)))
      (when (or (= (remainder k 6) 5) (null? (cdr l))) (newline))
      (loop (cdr l) (+ k 1))))
  (when (null? pairs) (display "  {-1, -1},\n"))
  (display "};\n\n"))

(define (pred-of proc) (lambda (cp) (proc (integer->char cp))))

(check-ci)
(display "\
/* unicode-tables.h - GENERATED by tools/unicode-tables.scm from GNU Guile
 * ")
(display (version))
(display ": do not edit; tests/unicode-tables.sh checks it.
 * Sorted ranges [lo, hi] of code points (or sorted [from, to] case
 * mappings), read only by chars.c. */\n\n")
(emit-pairs "uc_alphabetic" "char-alphabetic?" (ranges (pred-of char-alphabetic?)))
(emit-pairs "uc_numeric" "char-numeric?" (ranges (pred-of char-numeric?)))
(emit-pairs "uc_whitespace" "char-whitespace?" (ranges (pred-of char-whitespace?)))
(emit-pairs "uc_upper" "char-upper-case?" (ranges (pred-of char-upper-case?)))
(emit-pairs "uc_lower" "char-lower-case?" (ranges (pred-of char-lower-case?)))
(emit-pairs "uc_upcase" "char-upcase" (mapping char-upcase))
(emit-pairs "uc_downcase" "char-downcase" (mapping char-downcase))
(emit-pairs "uc_write_shown"
            "write shows the character itself (maybe after a dotted circle)"
            (ranges (lambda (cp) (and (not (named? cp)) (> (char-form cp) 0)))))
(emit-pairs "uc_write_circle" "write shows a dotted circle first"
            (ranges (lambda (cp) (and (not (named? cp)) (= (char-form cp) 2)))))
(emit-pairs "uc_string_shown" "write shows it in a string as itself"
            (ranges string-literal?))
