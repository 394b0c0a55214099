#!/bin/sh
# sudoku-before-after.sh - the Arto Inkala Sudoku: before (06ef581, built
# in /tmp/tvl-before: git archive 06ef581 | tar -x -C /tmp/tvl-before, then
# autoreconf -fi && ./configure && make tvl; BEFORE=its tvl) and after (AFTER,
# default ./tvl), routed and dense, three rounds, under nice.
ex=stdlib/examples/sudoku.tvl    # run from the top of the tree
for round in 1 2 3; do
  for which in before after-routed after-dense; do
    case $which in
      before) bin=${BEFORE:-/tmp/tvl-before/tvl}; args= ;;
      after-routed) bin=${AFTER:-./tvl}; args= ;;
      after-dense) bin=${AFTER:-./tvl}; args=--dense ;;
    esac
    /usr/bin/time -f "$round $which wall %e s user %U s maxrss %M KB" nice $bin $args $ex > /tmp/sud-$which.out 2>/tmp/sud-$which.time
    cmp -s /tmp/sud-$which.out stdlib/examples/sudoku.expected && ok=same || ok=DIFFERS
    echo "$(tail -1 /tmp/sud-$which.time) output $ok"
  done
done
