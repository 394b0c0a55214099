;; A trie of nested association lists built with set-cdr!: compiled, the
;; error texts its kind checks may report print the tree by routines (a
;; cyclic value would fill the print stack, a refusal at run time).
(define (make-trie) (list 'root))
(define (trie-insert! trie word)
  (let loop ((node trie) (cs (string->list word)))
    (if (null? cs)
        (let ((e (assv #\$ (cdr node))))
          (if (not e) (set-cdr! node (cons (cons #\$ (list)) (cdr node)))))
        (let* ((ch (car cs)) (child (assv ch (cdr node))))
          (if child
              (loop child (cdr cs))
              (begin
                (set-cdr! node (cons (cons ch (list)) (cdr node)))
                (loop (assv ch (cdr node)) (cdr cs))))))))
(define (trie-has? trie word)
  (let loop ((node trie) (cs (string->list word)))
    (if (null? cs)
        (if (assv #\$ (cdr node)) #t #f)
        (let ((child (assv (car cs) (cdr node))))
          (if child (loop child (cdr cs)) #f)))))
(define t (make-trie))
(for-each (lambda (w) (trie-insert! t w)) '("car" "cat" "cart" "dog"))
(for-each (lambda (w) (display w) (display " ") (display (trie-has? t w)) (newline)) '("car" "ca" "cart" "dog" "do" "x"))
