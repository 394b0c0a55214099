#!/bin/sh
# kernel-check.sh - the Jupyter kernel (tools/tvl_kernel.py) and the
# example notebook examples/seed.ipynb (TAP); tests/kernel_check.py says
# what it checks.  Skipped without ipykernel, jupyter_client and nbconvert.
#
# When tvl's texts change, the notebook's saved outputs must be made
# again (and looked at): with a kernelspec DIR/kernels/tvl/kernel.json
# whose argv is [python3, tools/tvl_kernel.py, --tvl, ./tvl, -f,
# {connection_file}] (kernel_check.py writes one),
#   JUPYTER_PATH=DIR jupyter nbconvert --to notebook --execute --inplace examples/seed.ipynb
: "${TVL:?TVL must name the tvl program}" "${top_srcdir:?}"

if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import ipykernel, jupyter_client, nbconvert, nbformat' \
     >/dev/null 2>&1 || ! command -v jupyter >/dev/null 2>&1; then
  echo "1..0 # SKIP python3-ipykernel, python3-jupyter-client or jupyter-nbconvert not available"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-kernel-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$PYTHON" "$top_srcdir/tests/kernel_check.py" "$top_srcdir" "$TVL" "$tmp"
