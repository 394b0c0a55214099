;; call/cc as an early exit: from for-each, map, a sort's comparator,
;; SRFI-1 fold and any, nested loops over vectors, strings made at run time
(use-modules (srfi srfi-1))

(define (find-first pred lst)
  (call/cc
   (lambda (return)
     (for-each (lambda (x) (if (pred x) (return x))) lst)
     #f)))
(display (find-first even? '(1 3 5 6 7))) (newline)
(display (find-first even? (map (lambda (x) (+ 1 (* 2 x))) (iota 5)))) (newline)
(display (find-first (lambda (x) (> x 3)) (reverse (iota 10)))) (newline)
(display (find-first symbol? (append '(1 2) (list "s" 'sym 4)))) (newline)

(define (safe-sqrt-all lst)
  (call-with-current-continuation
   (lambda (k)
     (map (lambda (x) (if (negative? x) (k (list 'negative x)) (* x x))) lst))))
(write (safe-sqrt-all '(1 2 3))) (newline)
(write (safe-sqrt-all (list 4 -5 6))) (newline)

(define (sorted-or-dup lst)
  (call/cc
   (lambda (k)
     (sort lst (lambda (a b) (if (= a b) (k (list 'duplicate a)) (< a b)))))))
(write (sorted-or-dup (list 5 3 9 1))) (newline)
(write (sorted-or-dup (cons 7 (iota 9)))) (newline)

(define (sum-until-negative lst)
  (call/cc
   (lambda (stop)
     (fold (lambda (x acc) (if (negative? x) (stop acc) (+ x acc))) 0 lst))))
(display (list (sum-until-negative '(1 2 3)) (sum-until-negative '(10 20 -1 30)))) (newline)

(define (index-of v x)
  (call/cc
   (lambda (return)
     (do ((i 0 (+ i 1))) ((= i (vector-length v)) -1)
       (if (equal? (vector-ref v i) x) (return i))))))
(display (list (index-of #(a b c d) 'c) (index-of (vector 1 2 3) 9)
               (index-of (list->vector (string->list "hello")) #\l)))
(newline)

(define (first-pair-sum v target)
  (call/cc
   (lambda (found)
     (let outer ((i 0))
       (when (< i (vector-length v))
         (let inner ((j (+ i 1)))
           (when (< j (vector-length v))
             (if (= target (+ (vector-ref v i) (vector-ref v j)))
                 (found (cons i j)))
             (inner (+ j 1))))
         (outer (+ i 1))))
     'none)))
(write (first-pair-sum #(3 8 1 9 4) 13)) (newline)
(write (first-pair-sum (list->vector (iota 6)) 100)) (newline)

(define (first-vowel s)
  (call/cc
   (lambda (k)
     (for-each (lambda (c) (if (memv c '(#\a #\e #\i #\o #\u)) (k c)))
               (string->list s))
     #\-)))
(write (list (first-vowel "rhythm") (first-vowel (string-append "xyz" "zo")))) (newline)
