# man2help.awk - turns the entries of man/tvl.1 that describe a command, a
# special form or a builtin into C data for `:help NAME` (repl/manhelp.c,
# generated at build time), so that :help says what tvl(1) says, with
# its examples, and cannot drift from it.
#
# Every ".It Ic NAME ..." of the top-level lists of the sections COMMANDS
# and THE LANGUAGE is one entry: its head (the .It line, rendered) and its
# body up to the next item of the same list.  The body is a series of
# lines: a line that starts with a blank is literal (an example, a
# display), an empty line separates paragraphs, any other line is a
# paragraph to be wrapped.  Only the mdoc macros tvl(1) uses are known;
# the others are dropped and their arguments kept.

function unescape(s) {
  gsub(/\\\(->/, "\342\206\222", s)
  gsub(/\\\(bu/, "\302\267", s)
  gsub(/\\\(dq/, "\"", s)
  gsub(/\\\(aq/, "'", s)
  gsub(/\\\(em/, "\342\200\224", s)
  gsub(/\\\(en/, "-", s)
  gsub(/\\\(lq/, "\"", s)
  gsub(/\\\(rq/, "\"", s)
  gsub(/\\\(mu/, "\303\227", s)
  gsub(/\\\(<=/, "<=", s)
  gsub(/\\\(>=/, ">=", s)
  gsub(/\\\(ti/, "~", s)
  gsub(/\\\(ha/, "^", s)
  gsub(/\\\(ga/, "`", s)
  gsub(/\\&/, "", s)
  gsub(/\\-/, "-", s)
  gsub(/\\ /, " ", s)
  gsub(/\\e/, "\\", s)
  return s
}

function is_macro(t) {
  return t ~ /^(Ic|Ar|Fl|Cm|Li|Nm|Pa|Ev|Sx|Xr|Va|Em|Dv|No|Ns|Ql|Sq|Dq|Qq|Pq|Op|Oo|Oc|Po|Pc|Bq|Sy|Tn|Er|Fn|Fa|Ft|Ad|Aq|Ao|Ac|Bro|Brc|Ec|Eo|Ux|St)$/
}

function is_close(t) { return t ~ /^[.,;:?!)\]]$/ }
function is_open(t) { return t ~ /^[(\[]$/ }

function emit(w) {
  if (out != "" && !nosp && !is_close(w)) out = out " "
  out = out w
  nosp = is_open(w)
}

# Splits a macro line (without its dot) into tok[1..ntok], quotes kept
# together.
function split_line(s,   i, c, t, inq) {
  ntok = 0
  t = ""
  inq = 0
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\"") { inq = !inq; continue }
    if (c == " " && !inq) {
      if (t != "") tok[++ntok] = t
      t = ""
      continue
    }
    t = t c
  }
  if (t != "") tok[++ntok] = t
}

# Renders a macro line as text.
function render(s,   i, t, last, ncl, cl, k) {
  split_line(s)
  out = ""
  nosp = 0
  ncl = 0
  last = 0
  for (i = 1; i <= ntok; i++)
    if (!is_close(tok[i])) last = i
  for (i = 1; i <= ntok; i++) {
    t = tok[i]
    if (i > last && ncl) {
      for (k = ncl; k >= 1; k--) { nosp = 1; emit(cl[k]); nosp = 0 }
      ncl = 0
    }
    if (t == "Ns") { nosp = 1; continue }
    if (t == "Fl") {
      if (i < ntok && !is_macro(tok[i + 1]) && !is_close(tok[i + 1])) {
        emit("-" unescape(tok[++i]))
      } else {
        emit("-")
      }
      continue
    }
    if (t == "Nm") {
      if (i == ntok || is_macro(tok[i + 1]) || is_close(tok[i + 1])) emit("tvl")
      continue
    }
    if (t == "Xr") {
      if (i + 2 <= ntok) { emit(unescape(tok[i + 1]) "(" tok[i + 2] ")"); i += 2 }
      continue
    }
    if (t == "Op" || t == "Pq" || t == "Sq" || t == "Dq" || t == "Ql" || t == "Qq" || t == "Bq" || t == "Aq") {
      if (t == "Op" || t == "Bq") { emit("["); cl[++ncl] = "]" }
      else if (t == "Pq") { emit("("); cl[++ncl] = ")" }
      else if (t == "Dq" || t == "Qq") { emit("\""); cl[++ncl] = "\"" }
      else if (t == "Aq") { emit("<"); cl[++ncl] = ">" }
      else { emit("'"); cl[++ncl] = "'" }
      nosp = 1
      continue
    }
    if (t == "Oo") { emit("["); nosp = 1; continue }
    if (t == "Po") { emit("("); nosp = 1; continue }
    if (t == "Ao") { emit("<"); nosp = 1; continue }
    if (t == "Bro") { emit("{"); nosp = 1; continue }
    if (t == "Oc") { nosp = 1; emit("]"); nosp = 0; continue }
    if (t == "Pc") { nosp = 1; emit(")"); nosp = 0; continue }
    if (t == "Ac") { nosp = 1; emit(">"); nosp = 0; continue }
    if (t == "Brc") { nosp = 1; emit("}"); nosp = 0; continue }
    if (is_macro(t)) continue
    emit(unescape(t))
  }
  for (k = ncl; k >= 1; k--) { nosp = 1; emit(cl[k]); nosp = 0 }
  return out
}

# Backslashes doubled one by one: what a backslash in gsub's replacement
# means differs between awks.
function c_backslashes(s,   out, i, ch) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    ch = substr(s, i, 1)
    out = out (ch == "\\" ? "\\\\" : ch)
  }
  return out
}

function c_string(s) {
  s = c_backslashes(s)
  gsub(/"/, "\\\"", s)
  gsub(/\n/, "\\n\"\n    \"", s)
  return "\"" s "\""
}

# The paragraph being filled, and the body so far.
function add_words(w) {
  if (w == "") return
  if (para == "") para = w
  else if (glue) para = para w
  else para = para " " w
  glue = 0
}
function end_para() {
  if (para != "") body = body (body == "" ? "" : "\n") para
  para = ""
}
function add_literal(s) {
  end_para()
  body = body (body == "" ? "" : "\n") "  " s
}
function add_break() {
  end_para()
  if (body != "" && body !~ /\n$/) body = body "\n"
}

function finish() {
  if (name == "") return
  end_para()
  sub(/\n+$/, "", body)
  printf "  {%s,\n   %s,\n   %s},\n", c_string(name), c_string(head), c_string(body)
  name = ""
}

BEGIN {
  print "/* manhelp.c - generated from man/tvl.1 by repl/man2help.awk: do not"
  print " * edit; :help NAME prints these entries. */"
  print "#include \"config.h\""
  print ""
  print "#include \"repl/shell.h\""
  print ""
  print "const man_entry man_entries[] = {"
  depth = 0
  insec = 0
  literal = 0
}

/^\.\\"/ { next }

/^\.Sh / {
  finish()
  insec = ($0 ~ /^\.Sh (COMMANDS|THE LANGUAGE)/)
  depth = 0
  next
}
/^\.Ss / { finish(); depth = 0; next }
!insec { next }

/^\.Bl / { depth++; if (name != "" && depth > 1) add_break(); next }
/^\.El/ {
  if (depth == 1) finish()
  else if (name != "") add_break()
  depth--
  next
}
/^\.It / && depth == 1 {
  finish()
  if ($2 != "Ic") next
  name = $3
  gsub(/\\&/, "", name)
  head = render(substr($0, 5))
  body = ""
  para = ""
  glue = 0
  next
}
name == "" { next }
/^\.It / {   # an item of a nested list
  end_para()
  add_words("- " render(substr($0, 5)) ":")
  next
}
/^\.Bd / { literal = 1; end_para(); next }
/^\.Ed/ { literal = 0; next }
literal { add_literal(unescape($0)); next }
/^\.Dl / { add_literal("  " unescape(substr($0, 5))); next }
/^\.(Pp|Lp)/ { add_break(); next }
/^\./ {
  s = render(substr($0, 2))
  # a line that ends with Ns glues the next one to it
  t = $0
  if (s ~ /^[.,;:?!)\]]([ ]|$)/ && para != "") { para = para s; glue = 0 }
  else add_words(s)
  if (t ~ / Ns$/ || s ~ /[(\[]$/) glue = 1
  next
}
{ add_words(unescape($0)) }

END {
  finish()
  print "  {0, 0, 0},"
  print "};"
}
