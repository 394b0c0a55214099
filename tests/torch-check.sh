#!/bin/sh
# torch-check.sh - tools/tvl_torch.py, the PyTorch runner (TAP): the C
# executor's tokens and residuals, the examples' exported programs, a
# batch against single runs.  tests/torch_check.py says what it checks.
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}" "${top_builddir:?}"

if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "1..0 # SKIP python3-torch not available"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-torch.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE
"$PYTHON" "$top_srcdir/tests/torch_check.py" "$top_srcdir" "$TVL" \
  "$top_builddir/tests/mkmodel" "$tmp"
