;; bank queue simulation with a deterministic arrival pattern
(define (simulate arrivals service)
  (let loop ((t 0) (queue '()) (arr arrivals) (busy 0) (served 0) (wait 0))
    (cond ((and (null? arr) (null? queue) (= busy 0)) (list 'served served 'total-wait wait 'end t))
          (else
           (let* ((new (if (and (pair? arr) (= (car arr) t)) (list t) '()))
                  (arr2 (if (null? new) arr (cdr arr)))
                  (q (append queue new)))
             (if (and (= busy 0) (pair? q))
                 (loop (+ t 1) (cdr q) arr2 (- service 1) (+ served 1) (+ wait (- t (car q))))
                 (loop (+ t 1) q arr2 (if (> busy 0) (- busy 1) 0) served wait)))))))
(display (simulate '(0 1 2 3 10 11 20) 3)) (newline)
(display (simulate '(0 5 10) 2)) (newline)
