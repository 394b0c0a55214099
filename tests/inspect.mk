## Tests of the inspection commands (:trace, :weights, :slots, :margins,
## :export) and of the numpy runner (included by Makefile.am).  The golden
## transcripts tests/golden/inspect-*.tvltest run with the others in
## tests/golden.sh.

## :trace --json parsed and checked, SVG files checked with xmllint,
## error messages of bad input.
TESTS += tests/inspect.sh
EXTRA_DIST += tests/inspect.sh

## Every example in stdlib/examples exported, then run by tools/tvl_run.py:
## the same output as tvl.
TESTS += tests/inspect-export.sh
EXTRA_DIST += tests/inspect-export.sh tests/tvl_forms.py

## A slot's name at each half-layer (:trace --resid, :trace --json,
## :export's metadata, :weights) against :slots' live ranges and the
## activations, for every procedure of stdlib/examples.
TESTS += tests/labels.sh
EXTRA_DIST += tests/labels.sh

## Random procedures of the shape circuits compile, in check mode: the
## same answers as the evaluator, and most of them circuits.
TESTS += tests/circuit-random.sh
EXTRA_DIST += tests/circuit-random.sh
