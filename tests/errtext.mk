# tests/errtext.mk - compiled run-time error messages are the evaluator's
TESTS += tests/errtext.sh
EXTRA_DIST += tests/errtext.sh tests/errtext/corpus.scm tests/errtext/KNOWN \
	tests/errtext/make-corpus.py
