;; McCarthy's 91 function and Takeuchi's nested calls: recursion whose
;; argument is itself a recursive call.
(define (m91 n) (if (> n 100) (- n 10) (m91 (m91 (+ n 11)))))
(define (show-row lo hi)
  (do ((i lo (+ i 1))) ((> i hi) (newline))
    (display (m91 i)) (display " ")))
(show-row 85 95)
(show-row 98 103)
(display (m91 -1000)) (newline)
(define (hofq n memo)
  (if (<= n 2) 1
      (let ((m (vector-ref memo n)))
        (if (> m 0) m
            (let ((v (+ (hofq (- n (hofq (- n 1) memo)) memo)
                        (hofq (- n (hofq (- n 2) memo)) memo))))
              (vector-set! memo n v)
              v)))))
(define memo (make-vector 101 0))
(do ((i 1 (+ i 1))) ((> i 20) (newline))
  (display (hofq i memo)) (display " "))
(display (hofq 100 memo)) (newline)
