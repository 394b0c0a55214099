;; a small stack machine interpreter with vector program
(define program
  (vector '(push 10) '(push 0) '(store) '(load) '(push 1) '(add) '(dup) '(print) '(dup) '(push 5) '(lt) '(jnz 4) '(halt)))
(define (run prog)
  (let loop ((pc 0) (stack '()) (mem 0) (steps 0))
    (let* ((ins (vector-ref prog pc)) (op (car ins)))
      (case op
        ((push) (loop (+ pc 1) (cons (cadr ins) stack) mem (+ steps 1)))
        ((store) (loop (+ pc 1) (cdr stack) (car stack) (+ steps 1)))
        ((load) (loop (+ pc 1) (cons mem stack) mem (+ steps 1)))
        ((add) (loop (+ pc 1) (cons (+ (car stack) (cadr stack)) (cddr stack)) mem (+ steps 1)))
        ((dup) (loop (+ pc 1) (cons (car stack) stack) mem (+ steps 1)))
        ((lt) (loop (+ pc 1) (cons (if (< (cadr stack) (car stack)) 1 0) (cddr stack)) mem (+ steps 1)))
        ((print) (display (car stack)) (newline) (loop (+ pc 1) (cdr stack) mem (+ steps 1)))
        ((jnz) (if (= 0 (car stack)) (loop (+ pc 1) (cdr stack) mem (+ steps 1))
                   (loop (cadr ins) (cdr stack) mem (+ steps 1))))
        ((halt) (list 'halted 'stack stack 'steps steps))
        (else (error "bad instruction" ins))))))
(write (run program)) (newline)
