#!/bin/sh
# numpy-check.sh - the C executor's tokens against tools/tvl_run.py, a
# plain dense transformer in numpy reading the same model files (TAP).
# tests/mkmodel writes the models, their prompts and the C tokens.
: "${top_srcdir:=.}" "${top_builddir:=.}"

if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import numpy' >/dev/null 2>&1; then
  echo "1..0 # SKIP numpy not available"
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/tvl-numpy-check.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
if ! "$top_builddir/tests/mkmodel" "$dir" >"$dir/mkmodel.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 - tests/mkmodel failed"
  sed 's/^/# /' "$dir/mkmodel.log"
  exit 1
fi

run="$top_srcdir/tools/tvl_run.py"
n=0
fail=0
ncases=$(wc -l <"$dir/cases")
echo "1..$((ncases + 2))"
while read -r name model prompt max_new want; do
  n=$((n + 1))
  got=$("$PYTHON" "$run" "$model" --prompt "$prompt" --max-new "$max_new" \
          --residuals "$dir/$name.py.resid" 2>"$dir/$name.err" | paste -sd, -)
  count=$(echo "$want" | tr ',' '\n' | wc -l)
  lines=$(wc -l <"$dir/$name.resid")
  if [ "$got" = "$want" ] && cmp -s "$dir/$name.resid" "$dir/$name.py.resid"
  then
    echo "ok $n - $name: numpy decodes the C executor's $count tokens, and" \
         "its $lines residuals bit for bit"
  elif [ "$got" = "$want" ]; then
    echo "not ok $n - $name: same tokens, but the residuals differ"
    diff "$dir/$name.resid" "$dir/$name.py.resid" | head -n 4 | sed 's/^/# /'
    fail=1
  else
    echo "not ok $n - $name: numpy and C differ"
    echo "# C:     $(echo "$want" | cut -c1-200)"
    echo "# numpy: $(echo "$got" | cut -c1-200)"
    sed 's/^/# /' "$dir/$name.err"
    fail=1
  fi
done <"$dir/cases"

# The prompt may also come from the file's metadata (tvl.prompt).
n=$((n + 1))
set -- $(head -n 1 "$dir/cases")
"$PYTHON" - "$2" "$dir/with-prompt.safetensors" "$3" <<'PY'
import json, struct, sys
src, dst, prompt = sys.argv[1:]
blob = open(src, "rb").read()
(n,) = struct.unpack("<Q", blob[:8])
hdr = json.loads(blob[8:8 + n])
hdr["__metadata__"]["tvl.prompt"] = prompt
text = json.dumps(hdr, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
open(dst, "wb").write(struct.pack("<Q", len(text)) + text + blob[8 + n:])
PY
got=$("$PYTHON" "$run" "$dir/with-prompt.safetensors" --max-new "$4" | paste -sd, -)
if [ "$got" = "$5" ]; then
  echo "ok $n - the prompt is read from tvl.prompt when --prompt is absent"
else
  echo "not ok $n - tvl.prompt: got '$got', want '$5'"
  fail=1
fi

# A corrupt file is an error, not a traceback.
n=$((n + 1))
head -c 100 "$2" >"$dir/truncated.safetensors"
if "$PYTHON" "$run" "$dir/truncated.safetensors" --prompt 1 >/dev/null \
     2>"$dir/truncated.err"; then
  echo "not ok $n - a truncated file was accepted"
  fail=1
elif grep -q Traceback "$dir/truncated.err"; then
  echo "not ok $n - a truncated file gave a traceback"
  fail=1
else
  echo "ok $n - a truncated file is refused: $(head -n 1 "$dir/truncated.err")"
fi
exit $fail
