/* prelude-lib.c - more of Guile's core procedures written in tvl, loaded
 * as prelude.c loads its own (before the first top-level form that names
 * one, compiled like the program's own code, so that the evaluator and
 * compiled code agree by construction; programs that never name one pay
 * nothing):
 *
 * - hash tables (make-hash-table, hash-ref/hashq-ref/hashv-ref,
 *   hash-set!..., hash-remove!..., hash-get-handle...,
 *   hash-create-handle!..., hash-clear!, hash-fold, hash-for-each,
 *   hash-map->list, hash-count, hash-table?).  A table is a record of
 *   the built-in type of tid -1 (lang/records.h), [-1 NUMBER COUNT
 *   SIZE], so that it is a kind of its own as in Guile (no other kind's
 *   predicate is true of it, equal? is eq? as their numbers differ,
 *   display shows #<hash-table NUMBER COUNT/SIZE>); its buckets are
 *   element NUMBER - 1 of %ht-store, a vector of SIZE association lists
 *   of handles (key . value), most recent first (a pair, not a list of
 *   three: the parts of a list share one class, which would tag them
 *   all in compiled code).  The buckets are not a field: a record of
 *   integers only is read with no kind test in compiled code, where a
 *   vector among its fields made models two to three times as wide.
 *   A key's bucket is a hash of its contents (integers, characters,
 *   strings, symbols by their names, the first four elements of a list),
 *   the same for the three kinds of keys: hash- compares with equal?,
 *   hashq- and hashv- with eqv? (tvl's eq? is eqv?).  The hash needs no
 *   division (a long division is a layer per digit, which every step of
 *   a compiled program pays): characters are mixed by doubling modulo a
 *   prime below 2^20 with conditional subtractions, and the bucket is
 *   that modulo n by %ht-mod, a loop of subtractions of n * 2^j.  The
 *   lookups test pair? in branches (a tested variable needs no kind
 *   check: lower-narrow.c).  31 buckets, four times as many plus 3 once
 *   there are more than twice as many entries.  The order of hash-fold,
 *   hash-for-each and hash-map->list is tvl's own (buckets from the
 *   last, each from its newest entry), not Guile's, which depends on
 *   addresses and changes from run to run);
 * - strings: string-pad, string-pad-right, string-take, string-drop,
 *   string-take-right, string-drop-right, string-count, string-ci<? (and
 *   >?, <=?, >=?: Guile compares the downcased strings), char-ci<? (and
 *   >?, <=?, >=?: Guile compares the upcased characters);
 * - lists and procedures: delq, delv, delq!, delv!, delete!, identity,
 *   const, negate;
 * - sorting: sorted?, sort! and stable-sort! (a vector sorted in place
 *   by sort or stable-sort and returned; a list relinked by Guile's own
 *   merge sort, pairs of two swapping their cars, so that the original
 *   variable shows what Guile's shows), string-any, string-every,
 *   string-tokenize (one argument: runs of Guile's char-set:graphic,
 *   here codes 33-126 and above 160 but whitespace);
 * - promises: delay (a macro), make-promise (of a thunk, as Guile's),
 *   force, promise?; a promise is a record of the built-in type of tid
 *   -2, [-2 NUMBER DONE VALUE] (the thunk until forced), printed
 *   #<promise VALUE>.
 *
 * Names that start with % are this file's helpers.  The table ends in
 * entries without a name (room for PRELUDE_LIB_MAX). */
#include "config.h"

#include "session.h"

const prelude_def prelude_lib_defs[PRELUDE_LIB_MAX] = {
    {"%ht-mod", false,
     "(define (%ht-mod h n)\n"
     "  (if (< h n) h\n"
     "      (let ((h (if (<= n (- h n)) (%ht-mod h (+ n n)) h)))\n"
     "        (if (< h n) h (- h n)))))\n"},
    {"%ht-mix", false,
     "(define (%ht-mix h c)\n"
     "  (let* ((c (if (< c 2048) c 2047)) (h (+ h h c)))\n"
     "    (if (< h 1048573) h (if (< h 2097146) (- h 1048573) (- h 2097146)))))\n"},
    {"%ht-string-hash", false,
     "(define (%ht-string-hash s)\n"
     "  (let ((n (string-length s)))\n"
     "    (let loop ((i 0) (h n))\n"
     "      (if (= i n) h (loop (+ i 1) (%ht-mix h (char->integer (string-ref s i))))))))\n"},
    {"%ht-atom-hash", false,
     "(define (%ht-atom-hash k)\n"
     "  (cond ((integer? k) (let ((k (+ k 0))) (if (< k 0) (- -1 k) k)))\n"
     "        ((char? k) (+ (char->integer k) 0))\n"
     "        ((symbol? k) (%ht-string-hash (symbol->string k)))\n"
     "        ((string? k) (%ht-string-hash k))\n"
     "        ((null? k) 1)\n"
     "        ((eq? k #t) 2)\n"
     "        (else 0)))\n"},
    {"%ht-hash", false,
     "(define (%ht-hash k n)\n"
     "  (%ht-mod\n"
     "   (if (pair? k)\n"
     "       (let loop ((l k) (h 3) (i 0))\n"
     "         (if (or (not (pair? l)) (= i 4)) h\n"
     "             (loop (cdr l) (%ht-mix h (let ((x (car l))) (if (pair? x) 5 (%ht-atom-hash x)))) (+ i 1))))\n"
     "       (%ht-atom-hash k))\n"
     "   n))\n"},
    /* a new promise's number: it keeps two promises apart under equal?,
       which compares records field by field (a table's number, from
       %ht-tables, does the same and is shown where Guile shows an
       address) */
    {"%tvl-serial", false,
     "(define %tvl-serial 0)\n"},
    {"%tvl-next-serial", false,
     "(define (%tvl-next-serial) (set! %tvl-serial (+ %tvl-serial 1)) %tvl-serial)\n"},
    /* the buckets of every table, by its number: a table's record holds
       integers only, whose class compiled code reads with no kind test */
    {"%ht-store", false,
     "(define %ht-store (make-vector 8 (make-vector 0 '())))\n"},
    {"%ht-tables", false,
     "(define %ht-tables 0)\n"},
    {"make-hash-table", false,
     "(define (make-hash-table . size)\n"
     "  (let ((n 31) (i %ht-tables))\n"
     "    (if (= i (vector-length %ht-store))\n"
     "        (let ((new (make-vector (* 2 i) (vector-ref %ht-store 0))))\n"
     "          (let loop ((j 0)) (if (< j i) (begin (vector-set! new j (vector-ref %ht-store j)) (loop (+ j 1)))))\n"
     "          (set! %ht-store new)))\n"
     "    (vector-set! %ht-store i (make-vector n '()))\n"
     "    (set! %ht-tables (+ i 1))\n"
     "    (%record-make -1 (+ i 1) 0 n)))\n"},
    {"%ht-buckets", false,
     "(define (%ht-buckets h) (vector-ref %ht-store (- (%record-slot h 1) 1)))\n"},
    {"hash-table?", false,
     "(define (hash-table? x) (%record-is x -1))\n"},
    {"%ht-check", false,
     "(define (%ht-check who h)\n"
     "  (if (not (%record-is h -1)) (error (string-append who \": argument must be a hash table\"))))\n"},
    {"%ht-index", false,
     "(define (%ht-index h k) (%ht-hash k (%record-slot h 3)))\n"},
    {"%ht-handle", false,
     "(define (%ht-handle who deep h k)\n"
     "  (%ht-check who h)\n"
     "  (let loop ((l (vector-ref (%ht-buckets h) (%ht-index h k))))\n"
     "    (if (pair? l)\n"
     "        (let ((e (car l)))\n"
     "          (if (if deep (equal? (car e) k) (eqv? (car e) k)) e (loop (cdr l))))\n"
     "        #f)))\n"},
    {"%ht-ref", false,
     "(define (%ht-ref who deep h k d)\n"
     "  (%ht-check who h)\n"
     "  (let loop ((l (vector-ref (%ht-buckets h) (%ht-index h k))))\n"
     "    (if (pair? l)\n"
     "        (let ((e (car l)))\n"
     "          (if (if deep (equal? (car e) k) (eqv? (car e) k)) (cdr e) (loop (cdr l))))\n"
     "        d)))\n"},
    /* to four times as many buckets plus 3 */
    {"%ht-grow", false,
     "(define (%ht-grow h)\n"
     "  (let* ((old (%ht-buckets h)) (size (%record-slot h 3)) (n (+ (* 4 size) 3)))\n"
     "    (if (< size 100000)\n"
     "        (let ((b (make-vector n '())))\n"
     "          (let loop ((i 0))\n"
     "            (if (< i size)\n"
     "                (begin\n"
     "                  (let move ((l (vector-ref old i)))\n"
     "                    (if (pair? l)\n"
     "                        (let* ((e (car l)) (j (%ht-hash (car e) n)))\n"
     "                          (vector-set! b j (cons e (vector-ref b j)))\n"
     "                          (move (cdr l)))))\n"
     "                  (loop (+ i 1)))))\n"
     "          (vector-set! %ht-store (- (%record-slot h 1) 1) b)\n"
     "          (%record-set! h 3 n)))))\n"},
    {"%ht-add!", false,
     "(define (%ht-add! h k v)\n"
     "  (let ((b (%ht-buckets h)) (i (%ht-index h k)) (e (cons k v)) (n (+ (%record-slot h 2) 1)))\n"
     "    (vector-set! b i (cons e (vector-ref b i)))\n"
     "    (%record-set! h 2 n)\n"
     "    (if (> n (* 2 (%record-slot h 3))) (%ht-grow h))\n"
     "    e))\n"},
    {"%ht-create!", false,
     "(define (%ht-create! who deep h k v)\n"
     "  (let ((e (%ht-handle who deep h k)))\n"
     "    (if e e (%ht-add! h k v))))\n"},
    {"%ht-set!", false,
     "(define (%ht-set! who deep h k v)\n"
     "  (let ((e (%ht-handle who deep h k)))\n"
     "    (if (pair? e) (set-cdr! e v) (%ht-add! h k v))\n"
     "    v))\n"},
    {"%ht-remove!", false,
     "(define (%ht-remove! who deep h k)\n"
     "  (%ht-check who h)\n"
     "  (let ((b (%ht-buckets h)) (i (%ht-index h k)))\n"
     "    (let loop ((l (vector-ref b i)) (prev #f))\n"
     "      (if (pair? l)\n"
     "          (let ((e (car l)))\n"
     "            (if (if deep (equal? (car e) k) (eqv? (car e) k))\n"
     "                (begin\n"
     "                  (if (pair? prev) (set-cdr! prev (cdr l)) (vector-set! b i (cdr l)))\n"
     "                  (%record-set! h 2 (- (%record-slot h 2) 1))\n"
     "                  e)\n"
     "                (loop (cdr l) l)))\n"
     "          #f))))\n"},
    {"hash-ref", false,
     "(define (hash-ref h k . d) (%ht-ref \"hash-ref\" #t h k (if (null? d) #f (car d))))\n"},
    {"hashq-ref", false,
     "(define (hashq-ref h k . d) (%ht-ref \"hashq-ref\" #f h k (if (null? d) #f (car d))))\n"},
    {"hashv-ref", false,
     "(define (hashv-ref h k . d) (%ht-ref \"hashv-ref\" #f h k (if (null? d) #f (car d))))\n"},
    {"hash-set!", false,
     "(define (hash-set! h k v) (%ht-set! \"hash-set!\" #t h k v))\n"},
    {"hashq-set!", false,
     "(define (hashq-set! h k v) (%ht-set! \"hashq-set!\" #f h k v))\n"},
    {"hashv-set!", false,
     "(define (hashv-set! h k v) (%ht-set! \"hashv-set!\" #f h k v))\n"},
    {"hash-remove!", false,
     "(define (hash-remove! h k) (%ht-remove! \"hash-remove!\" #t h k))\n"},
    {"hashq-remove!", false,
     "(define (hashq-remove! h k) (%ht-remove! \"hashq-remove!\" #f h k))\n"},
    {"hashv-remove!", false,
     "(define (hashv-remove! h k) (%ht-remove! \"hashv-remove!\" #f h k))\n"},
    {"hash-get-handle", false,
     "(define (hash-get-handle h k) (%ht-handle \"hash-get-handle\" #t h k))\n"},
    {"hashq-get-handle", false,
     "(define (hashq-get-handle h k) (%ht-handle \"hashq-get-handle\" #f h k))\n"},
    {"hashv-get-handle", false,
     "(define (hashv-get-handle h k) (%ht-handle \"hashv-get-handle\" #f h k))\n"},
    {"hash-create-handle!", false,
     "(define (hash-create-handle! h k v) (%ht-create! \"hash-create-handle!\" #t h k v))\n"},
    {"hashq-create-handle!", false,
     "(define (hashq-create-handle! h k v) (%ht-create! \"hashq-create-handle!\" #f h k v))\n"},
    {"hashv-create-handle!", false,
     "(define (hashv-create-handle! h k v) (%ht-create! \"hashv-create-handle!\" #f h k v))\n"},
    {"hash-clear!", false,
     "(define (hash-clear! h)\n"
     "  (%ht-check \"hash-clear!\" h)\n"
     "  (vector-fill! (%ht-buckets h) '())\n"
     "  (%record-set! h 2 0))\n"},
    {"hash-fold", false,
     "(define (hash-fold f init h)\n"
     "  (%ht-check \"hash-fold\" h)\n"
     "  (let ((b (%ht-buckets h)))\n"
     "    (let loop ((i (- (vector-length b) 1)) (acc init))\n"
     "      (if (< i 0) acc\n"
     "          (loop (- i 1)\n"
     "                (let inner ((l (vector-ref b i)) (acc acc))\n"
     "                  (if (pair? l) (let ((e (car l))) (inner (cdr l) (f (car e) (cdr e) acc))) acc)))))))\n"},
    {"hash-for-each", false,
     "(define (hash-for-each f h)\n"
     "  (hash-fold (lambda (k v acc) (f k v) acc) #f h)\n"
     "  (if #f #f))\n"},
    {"hash-map->list", false,
     "(define (hash-map->list f h) (hash-fold (lambda (k v acc) (cons (f k v) acc)) '() h))\n"},
    {"hash-count", false,
     "(define (hash-count pred h) (hash-fold (lambda (k v n) (if (pred k v) (+ n 1) n)) 0 h))\n"},
    {"string-pad", false,
     "(define (string-pad s n . c)\n"
     "  (let ((l (string-length s)))\n"
     "    (if (>= l n) (substring s (- l n) l)\n"
     "        (string-append (make-string (- n l) (if (null? c) #\\space (car c))) s))))\n"},
    {"string-pad-right", false,
     "(define (string-pad-right s n . c)\n"
     "  (let ((l (string-length s)))\n"
     "    (if (>= l n) (substring s 0 n)\n"
     "        (string-append s (make-string (- n l) (if (null? c) #\\space (car c)))))))\n"},
    {"string-take", false,
     "(define (string-take s n) (substring s 0 n))\n"},
    {"string-drop", false,
     "(define (string-drop s n) (substring s n (string-length s)))\n"},
    {"string-take-right", false,
     "(define (string-take-right s n) (substring s (- (string-length s) n) (string-length s)))\n"},
    {"string-drop-right", false,
     "(define (string-drop-right s n) (substring s 0 (- (string-length s) n)))\n"},
    {"string-count", false,
     "(define (string-count s p . r)\n"
     "  (let ((end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (if (pair? r) (car r) 0)) (n 0))\n"
     "      (if (>= i end) n\n"
     "          (loop (+ i 1)\n"
     "                (if (if (char? p) (char=? p (string-ref s i)) (p (string-ref s i))) (+ n 1) n))))))\n"},
    {"string-ci<?", false,
     "(define (string-ci<? a b . r)\n"
     "  (let loop ((a (string-downcase a)) (b (string-downcase b)) (r r))\n"
     "    (and (string<? a b) (or (null? r) (loop b (string-downcase (car r)) (cdr r))))))\n"},
    {"string-ci>?", false,
     "(define (string-ci>? a b . r)\n"
     "  (let loop ((a (string-downcase a)) (b (string-downcase b)) (r r))\n"
     "    (and (string>? a b) (or (null? r) (loop b (string-downcase (car r)) (cdr r))))))\n"},
    {"string-ci<=?", false,
     "(define (string-ci<=? a b . r)\n"
     "  (let loop ((a (string-downcase a)) (b (string-downcase b)) (r r))\n"
     "    (and (string<=? a b) (or (null? r) (loop b (string-downcase (car r)) (cdr r))))))\n"},
    {"string-ci>=?", false,
     "(define (string-ci>=? a b . r)\n"
     "  (let loop ((a (string-downcase a)) (b (string-downcase b)) (r r))\n"
     "    (and (string>=? a b) (or (null? r) (loop b (string-downcase (car r)) (cdr r))))))\n"},
    {"char-ci<?", false,
     "(define (char-ci<? a b . r)\n"
     "  (let loop ((a (char-upcase a)) (b (char-upcase b)) (r r))\n"
     "    (and (char<? a b) (or (null? r) (loop b (char-upcase (car r)) (cdr r))))))\n"},
    {"char-ci>?", false,
     "(define (char-ci>? a b . r)\n"
     "  (let loop ((a (char-upcase a)) (b (char-upcase b)) (r r))\n"
     "    (and (char>? a b) (or (null? r) (loop b (char-upcase (car r)) (cdr r))))))\n"},
    {"char-ci<=?", false,
     "(define (char-ci<=? a b . r)\n"
     "  (let loop ((a (char-upcase a)) (b (char-upcase b)) (r r))\n"
     "    (and (char<=? a b) (or (null? r) (loop b (char-upcase (car r)) (cdr r))))))\n"},
    {"char-ci>=?", false,
     "(define (char-ci>=? a b . r)\n"
     "  (let loop ((a (char-upcase a)) (b (char-upcase b)) (r r))\n"
     "    (and (char>=? a b) (or (null? r) (loop b (char-upcase (car r)) (cdr r))))))\n"},
    {"delq", false,
     "(define (delq x l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (cond ((null? l) (reverse acc))\n"
     "          ((eq? x (car l)) (loop (cdr l) acc))\n"
     "          (else (loop (cdr l) (cons (car l) acc))))))\n"},
    {"delv", false,
     "(define (delv x l)\n"
     "  (let loop ((l l) (acc '()))\n"
     "    (cond ((null? l) (reverse acc))\n"
     "          ((eqv? x (car l)) (loop (cdr l) acc))\n"
     "          (else (loop (cdr l) (cons (car l) acc))))))\n"},
    {"%del!", false,
     "(define (%del! same? x l)\n"
     "  (let skip ((l l))\n"
     "    (cond ((null? l) l)\n"
     "          ((same? x (car l)) (skip (cdr l)))\n"
     "          (else (let loop ((p l))\n"
     "                  (cond ((null? (cdr p)) l)\n"
     "                        ((same? x (car (cdr p))) (set-cdr! p (cdr (cdr p))) (loop p))\n"
     "                        (else (loop (cdr p)))))))))\n"},
    {"delq!", false,
     "(define (delq! x l) (%del! eq? x l))\n"},
    {"delv!", false,
     "(define (delv! x l) (%del! eqv? x l))\n"},
    {"delete!", false,
     "(define (delete! x l) (%del! equal? x l))\n"},
    {"identity", false,
     "(define (identity x) x)\n"},
    {"const", false,
     "(define (const value) (lambda args value))\n"},
    {"negate", false,
     "(define (negate proc) (lambda args (not (apply proc args))))\n"},
    {"promise?", false,
     "(define (promise? x) (%record-is x -2))\n"},
    {"make-promise", false,
     "(define (make-promise thunk)\n"
     "  (if (not (procedure? thunk)) (error \"make-promise: not a procedure:\" thunk))\n"
     "  (%record-make -2 (%tvl-next-serial) #f thunk))\n"},
    {"force", false,
     "(define (force p)\n"
     "  (if (not (%record-is p -2)) (error \"force: not a promise:\" p))\n"
     "  (if (%record-slot p 2) (%record-slot p 3)\n"
     "      (let ((v ((%record-slot p 3))))\n"
     "        (if (%record-slot p 2) (%record-slot p 3)\n"
     "            (begin (%record-set! p 2 #t) (%record-set! p 3 v) v)))))\n"},
    {"sorted?", false,
     "(define (sorted? seq less)\n"
     "  (if (vector? seq)\n"
     "      (let loop ((i 1))\n"
     "        (cond ((>= i (vector-length seq)) #t)\n"
     "              ((less (vector-ref seq i) (vector-ref seq (- i 1))) #f)\n"
     "              (else (loop (+ i 1)))))\n"
     "      (or (null? seq)\n"
     "          (let loop ((prev (car seq)) (l (cdr seq)))\n"
     "            (cond ((null? l) #t)\n"
     "                  ((less (car l) prev) #f)\n"
     "                  (else (loop (car l) (cdr l))))))))\n"},
    {"%sort-merge!", false,
     "(define (%sort-merge! a b less)\n"
     "  (cond ((null? a) b)\n"
     "        ((null? b) a)\n"
     "        (else\n"
     "         (let ((build (if (less (car b) (car a)) b a)))\n"
     "           (let loop ((last build) (a (if (eq? build a) (cdr a) a)) (b (if (eq? build b) (cdr b) b)))\n"
     "             (cond ((null? a) (set-cdr! last b))\n"
     "                   ((null? b) (set-cdr! last a))\n"
     "                   ((less (car b) (car a)) (set-cdr! last b) (loop b a (cdr b)))\n"
     "                   (else (set-cdr! last a) (loop a (cdr a) b))))\n"
     "           build))))\n"},
    {"%sort-step!", false,
     "(define (%sort-step! l n less)\n"
     "  (cond ((> n 2)\n"
     "         (let* ((mid (quotient n 2))\n"
     "                (a (%sort-step! l mid less))\n"
     "                (b (%sort-step! (cdr a) (- n mid) less)))\n"
     "           (cons (%sort-merge! (car a) (car b) less) (cdr b))))\n"
     "        ((= n 2)\n"
     "         (let* ((r (cdr l)) (next (cdr r)) (x (car l)) (y (car r)))\n"
     "           (set-cdr! r '())\n"
     "           (if (less y x) (begin (set-car! l y) (set-car! r x)))\n"
     "           (cons l next)))\n"
     "        ((= n 1) (let ((next (cdr l))) (set-cdr! l '()) (cons l next)))\n"
     "        (else (cons '() l))))\n"},
    {"%sort-into!", false,
     "(define (%sort-into! v s)\n"
     "  (let loop ((i 0))\n"
     "    (if (< i (vector-length v)) (begin (vector-set! v i (vector-ref s i)) (loop (+ i 1)))))\n"
     "  v)\n"},
    {"sort!", false,
     "(define (sort! seq less)\n"
     "  (if (vector? seq) (%sort-into! seq (sort seq less))\n"
     "      (car (%sort-step! seq (length seq) less))))\n"},
    {"stable-sort!", false,
     "(define (stable-sort! seq less)\n"
     "  (if (vector? seq) (%sort-into! seq (stable-sort seq less))\n"
     "      (car (%sort-step! seq (length seq) less))))\n"},
    {"string-any", false,
     "(define (string-any p s . r)\n"
     "  (let ((end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (if (pair? r) (car r) 0)))\n"
     "      (and (< i end)\n"
     "           (or (if (char? p) (char=? p (string-ref s i)) (p (string-ref s i)))\n"
     "               (loop (+ i 1)))))))\n"},
    {"string-every", false,
     "(define (string-every p s . r)\n"
     "  (let ((end (if (and (pair? r) (pair? (cdr r))) (car (cdr r)) (string-length s))))\n"
     "    (let loop ((i (if (pair? r) (car r) 0)) (v #t))\n"
     "      (if (>= i end) v\n"
     "          (let ((x (if (char? p) (char=? p (string-ref s i)) (p (string-ref s i)))))\n"
     "            (and x (loop (+ i 1) x)))))))\n"},
    {"%char-graphic?", false,
     "(define (%char-graphic? c)\n"
     "  (let ((n (char->integer c)))\n"
     "    (if (< n 127) (> n 32) (and (> n 160) (not (char-whitespace? c))))))\n"},
    {"string-tokenize", false,
     "(define (string-tokenize s)\n"
     "  (let loop ((i (string-length s)) (end #f) (acc '()))\n"
     "    (cond ((= i 0) (if end (cons (substring s 0 end) acc) acc))\n"
     "          ((%char-graphic? (string-ref s (- i 1))) (loop (- i 1) (or end i) acc))\n"
     "          (end (loop (- i 1) #f (cons (substring s i end) acc)))\n"
     "          (else (loop (- i 1) #f acc)))))\n"},
    {"delay", false,
     "(define-syntax delay\n"
     "  (syntax-rules () ((_ e) (make-promise (lambda () e)))))\n"},
};

