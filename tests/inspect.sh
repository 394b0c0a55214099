#!/bin/sh
# inspect.sh - what :trace --json and the SVG pictures write (TAP).
#
# The JSON of :trace is parsed by python3 and checked for its structure and
# for consistency: the token list is the prompt plus each pass's token, a
# position's token follows its pass, every head's winner is an earlier
# position holding the token the winner names, its score is q . key, the
# tool call's result is marked as the host's.  The SVG files of :weights
# --svg and :slots --svg must be well-formed XML ($XMLLINT) and hold the
# panels and bars they claim.  Skipped parts say why (python3 or xmllint
# missing).
set -u
: "${TVL:?TVL must name the tvl program}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tvl-inspect.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TVL_HISTFILE=$tmp/history
export TVL_HISTFILE

py=
for p in "${PYTHON:-}" python3; do
  if [ -n "$p" ] && "$p" -c 'import json' >/dev/null 2>&1; then py=$p; break; fi
done
xmllint=${XMLLINT:-}
if [ -z "$xmllint" ] && command -v xmllint >/dev/null 2>&1; then xmllint=xmllint; fi

# One session writes every file; --milp 0 keeps the schedules (and so the
# counts checked below) independent of the machine's speed.
"$TVL" -q --milp 0 >"$tmp/session.out" 2>&1 <<EOF
(deftable price (apple 2) (banana 5) (cherry 9))
(define (next-price x) (+ (price x) 1))
(define (count n) (let loop ((i 0) (s 0)) (if (< i n) (loop (+ i 1) (+ s i)) s)))
(extern c-abs "libc" "abs" (int32) int32)
(define (f x) (+ (c-abs x) 1))
:trace --json (next-price 'banana) > $tmp/price.json
:trace --json --steps 3 (count 20) > $tmp/count.json
(f -5)
:trace --json (f -5) > $tmp/tool.json
:trace --json (begin (display "a\"b") (newline) 'done) > $tmp/out.json
:trace --resid (next-price 'apple) > $tmp/resid.txt
:weights next-price --svg $tmp/weights.svg
:slots next-price --svg $tmp/slots.svg
:weights count 0 > $tmp/weights0.txt
EOF
status=$?

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }

echo "1..12"
if [ $status -eq 0 ] && ! grep -q 'error\|cannot' "$tmp/session.out"; then
  ok "the session writes every file without an error"
else
  notok "the session writes every file without an error"
  sed 's/^/# /' "$tmp/session.out"
fi

if [ -z "$py" ]; then
  for i in 1 2 3 4 5 6 7 8; do skip "the JSON of :trace (python3 not available)"; done
else
  "$py" - "$tmp" <<'PY' > "$tmp/json.tap"
import json, os, sys

tmp = sys.argv[1]
out = []


def check(name, cond, why=""):
    out.append((bool(cond), name, why))


def load(name):
    with open(os.path.join(tmp, name)) as f:
        return json.load(f)


def positions(doc):
    return [p for s in doc["statements"] for p in s["positions"]]


def consistent(doc, name):
    """Structure, and winners and tokens that agree with each other."""
    m = doc["model"]
    L, d = m["n_layers"], m["d_model"]
    toks = doc["tokens"]
    errs = []
    if doc["format"] != "tvl-trace/1":
        errs.append("format")
    if toks[:len(doc["prompt"])] != doc["prompt"]:
        errs.append("tokens do not start with the prompt")
    if len(toks) != len(doc["prompt"]) + doc["generated"]:
        errs.append("token count")
    if len(m["slot_names"]) != d or len(m["heads"]) != L:
        errs.append("model shape")
    for p in positions(doc):
        if p["token_pos"] != p["pos"] + 1 or toks[p["pos"]] != p["input"]:
            errs.append("pass %d: its input is not the token at its position" % p["pos"])
        if toks[p["token_pos"]] != p["token"]:
            errs.append("pass %d: its token is not in the token list" % p["pos"])
        if not p["host"] and p["token"] != p["argmax"]:
            errs.append("pass %d: a model token that is not the argmax" % p["pos"])
        for l in range(L):
            nh = len(m["heads"][l])
            q = p["blocks.%d.attn.hook_q" % l]
            z = p["blocks.%d.attn.hook_z" % l]
            w = p["blocks.%d.attn.winners" % l]
            r = p["blocks.%d.hook_resid_post" % l]
            if len(q) != nh or len(z) != nh or len(w) != nh or len(r) != d:
                errs.append("pass %d layer %d: shapes" % (p["pos"], l))
                continue
            for h in range(nh):
                if len(z[h]) != m["heads"][l][h]["dv"]:
                    errs.append("pass %d L%d.H%d: value width" % (p["pos"], l, h))
                x = w[h]
                if x is None:
                    continue
                if not 0 <= x["pos"] <= p["pos"]:
                    errs.append("pass %d L%d.H%d: winner %d is not an earlier position"
                                % (p["pos"], l, h, x["pos"]))
                elif toks[x["pos"]] != x["token"]:
                    errs.append("pass %d L%d.H%d: winner's token" % (p["pos"], l, h))
                if x["score"] != q[h][0] * x["key"][0] + q[h][1] * x["key"][1]:
                    errs.append("pass %d L%d.H%d: score is not q.key" % (p["pos"], l, h))
                if x["margin"] is not None and x["margin"] <= 0:
                    errs.append("pass %d L%d.H%d: margin %r" % (p["pos"], l, h, x["margin"]))
                if x["ties"] < 1:
                    errs.append("pass %d L%d.H%d: ties" % (p["pos"], l, h))
    check("%s: structure, tokens and winners agree" % name, not errs, "; ".join(errs[:5]))
    return doc


doc = consistent(load("price.json"), "(next-price 'banana)")
ps = positions(doc)
# next-price is a circuit (docs/circuits.md): one forward pass, whose one
# head reads banana's entry, 5, and which emits the value 6
check("(next-price 'banana): one forward pass, its head reads the entry 5, the result 6",
      doc["ok"] and doc["result"] == "6" and doc["elided"]["statements"] == 0
      and doc["statements_total"] == 1 and len(ps) == 1
      and ps[0]["token_text"] == "VAL 6" and ps[0]["blocks.0.attn.hook_z"][0][0] == 5
      and not ps[0]["host"], json.dumps(ps)[:400])

doc = consistent(load("count.json"), "(count 20)")
shown = len(doc["statements"])
check("(count 20) with --steps 3: the first and last 3 statements, the rest counted",
      shown == 6 and doc["elided"]["statements"] == doc["statements_total"] - 6
      and doc["elided"]["tokens"] > 0 and doc["result"] == "190"
      and [s["statement"] for s in doc["statements"]][:3] == [0, 1, 2]
      and doc["statements"][-1]["statement"] == doc["statements_total"] - 1,
      "shown %d, elided %r, total %d" % (shown, doc["elided"], doc["statements_total"]))

doc = consistent(load("tool.json"), "(f -5) with a tool call")
ps = positions(doc)
host = [p for p in ps if p["host"]]
calls = [p for p in ps if p["tool_call"]]
check("(f -5): the CALL token, then the host's result VAL 5 in the token list",
      len(calls) == 1 and calls[0]["token_text"] == "CALL c-abs"
      and len(host) == 1 and host[0]["token_text"] == "VAL 5"
      and doc["tokens"][host[0]["token_pos"]] == host[0]["token"]
      and host[0]["write"]["value"] == 5 and doc["tool_calls"] == 1
      and doc["host_tokens"] == 1 and doc["result"] == "6",
      json.dumps([(p["token_text"], p["argmax_text"]) for p in host]))

doc = consistent(load("out.json"), "display and a symbol")
ps = positions(doc)
check("output and result: the text as printed, quotes and newline included",
      doc["output"] == 'a"b\n' and doc["result"] == "done"
      and "".join(p.get("output", "") for p in ps) == 'a"b\n'
      and "".join(p.get("result", "") for p in ps) == "done",
      repr((doc["output"], doc["result"])))

for i, (good, name, why) in enumerate(out, 1):
    print("%s %d - %s" % ("ok" if good else "not ok", i, name))
    if not good and why:
        print("# " + why)
PY
  # renumber the python's TAP lines into this script's sequence
  while read -r line; do
    case $line in
      "ok "*) ok "${line#ok [0-9]* - }" ;;
      "not ok "*) notok "${line#not ok [0-9]* - }" ;;
      *) echo "$line" ;;
    esac
  done < "$tmp/json.tap"
fi

if grep -q '^    resid after L0: \[0 constant 1\]=1 .*\]=3$' "$tmp/resid.txt" &&
   grep -q '^  .* -> VAL 3   value 3' "$tmp/resid.txt" &&
   grep -q '^result: 3$' "$tmp/resid.txt"; then
  ok ":trace --resid > FILE: the residual after each layer, by slot"
else
  notok ":trace --resid > FILE: the residual after each layer, by slot"
  head -n 20 "$tmp/resid.txt" | sed 's/^/# /'
fi

if grep -q '^layer 0: [0-9]* heads\{0,1\}, [0-9]* FFN units\{0,1\}$' "$tmp/weights0.txt" &&
   ! grep -q '^layer 1:' "$tmp/weights0.txt" && grep -q '^  unit 0  ' "$tmp/weights0.txt"; then
  ok ":weights NAME 0 > FILE: layer 0 only, its units labelled"
else
  notok ":weights NAME 0 > FILE: layer 0 only, its units labelled"
  head -n 5 "$tmp/weights0.txt" | sed 's/^/# /'
fi

if [ -z "$xmllint" ]; then
  skip "the SVG files (xmllint not available)"
else
  # every matrix is a <g> panel; every value living in a slot one bar
  panels=$("$xmllint" --xpath "count(//*[local-name()='g'][@data-rows])" "$tmp/weights.svg" 2>&1)
  bars=$("$xmllint" --xpath "count(//*[local-name()='g'][@class='value'])" "$tmp/slots.svg" 2>&1)
  layers=$(sed -n 's/^count: \([0-9]*\) layers.*/\1/p; s/^next-price: \([0-9]*\) layers.*/\1/p' \
             "$tmp/session.out" | head -n 1)
  if "$xmllint" --noout "$tmp/weights.svg" "$tmp/slots.svg" 2>"$tmp/xml.err" &&
     [ "$panels" -ge $((3 + layers)) ] && [ "$bars" -ge 8 ] &&
     grep -q 'id="unembedding"' "$tmp/weights.svg" &&
     grep -q '<title>tvl slots of next-price' "$tmp/slots.svg"; then
    ok "the SVG files are well-formed XML: $panels matrices over $layers layers, $bars slot bars"
  else
    notok "the SVG files are well-formed XML ($panels matrices, $bars bars)"
    sed 's/^/# /' "$tmp/xml.err"
  fi
fi
