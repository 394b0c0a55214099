;;; expect: error
;; a keyword the procedure does not take: Guile's "Unrecognized keyword"
(define* (area #:key (width 1) (height 1)) (* width height))
(display (area #:width 3 #:height 4)) (newline)
(display (area #:width 3 #:depth 4)) (newline)
