;; a bytecode interpreter, as a compiler writer would test one: programs
;; are vectors of integers (opcode, operand), run on a vector stack with
;; jumps, computing a factorial and a sum with a loop.
(define PUSH 0) (define ADD 1) (define MUL 2) (define SUB 3) (define DUP 4)
(define JZ 5) (define JMP 6) (define SWAP 7) (define HALT 8) (define OVER 9) (define DROP 10)
(define (run code)
  (let ((stack (make-vector 32 0)))
    (let loop ((pc 0) (sp 0) (steps 0))
      (let ((op (vector-ref code pc)) (arg (vector-ref code (+ pc 1))))
        (cond ((= op PUSH) (vector-set! stack sp arg) (loop (+ pc 2) (+ sp 1) (+ steps 1)))
              ((= op ADD) (vector-set! stack (- sp 2) (+ (vector-ref stack (- sp 2)) (vector-ref stack (- sp 1)))) (loop (+ pc 2) (- sp 1) (+ steps 1)))
              ((= op MUL) (vector-set! stack (- sp 2) (* (vector-ref stack (- sp 2)) (vector-ref stack (- sp 1)))) (loop (+ pc 2) (- sp 1) (+ steps 1)))
              ((= op SUB) (vector-set! stack (- sp 2) (- (vector-ref stack (- sp 2)) (vector-ref stack (- sp 1)))) (loop (+ pc 2) (- sp 1) (+ steps 1)))
              ((= op DUP) (vector-set! stack sp (vector-ref stack (- sp 1))) (loop (+ pc 2) (+ sp 1) (+ steps 1)))
              ((= op OVER) (vector-set! stack sp (vector-ref stack (- sp 2))) (loop (+ pc 2) (+ sp 1) (+ steps 1)))
              ((= op DROP) (loop (+ pc 2) (- sp 1) (+ steps 1)))
              ((= op SWAP) (let ((t (vector-ref stack (- sp 1))))
                             (vector-set! stack (- sp 1) (vector-ref stack (- sp 2)))
                             (vector-set! stack (- sp 2) t)
                             (loop (+ pc 2) sp (+ steps 1))))
              ((= op JZ) (if (= 0 (vector-ref stack (- sp 1))) (loop arg (- sp 1) (+ steps 1)) (loop (+ pc 2) (- sp 1) (+ steps 1))))
              ((= op JMP) (loop arg sp (+ steps 1)))
              (else (display "steps ") (display steps) (display ": ") (vector-ref stack (- sp 1))))))))
;; acc n -> loop: if n = 0 halt with acc, else acc*n, n-1
(define fact
  (vector PUSH 1 PUSH 10
          DUP 0 JZ 30
          SWAP 0 OVER 0 MUL 0 SWAP 0 PUSH 1 SUB 0 JMP 4
          HALT 0 HALT 0 HALT 0 HALT 0
          DROP 0 HALT 0))
(display (run fact)) (newline)
(define sum-down
  (vector PUSH 0 PUSH 100
          DUP 0 JZ 22
          SWAP 0 OVER 0 ADD 0 SWAP 0 PUSH 1 SUB 0 JMP 4
          DROP 0 HALT 0))
(display (run sum-down)) (newline)
(display (run (vector PUSH 6 PUSH 7 MUL 0 PUSH -2 ADD 0 HALT 0))) (newline)
