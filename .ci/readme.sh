#!/usr/bin/env bash
# Runs the README's walkthrough as a reader would, so it cannot rot: every ```sh block under
# "## A walkthrough", in order, in one `bash -euo pipefail` shell, against a server of its own
# (a free port, a fresh SQLite catalog in a temporary directory). A failing command fails the
# run, naming its block and README line.
#
# PIMENTO_BIN: the pimento binary to run (default: the debug build, built or brought up to date).
set -euo pipefail
given=${PIMENTO_BIN:+$(realpath "$PIMENTO_BIN")} # relative to where it was given
cd "$(dirname "$0")/.."
readme=$PWD/README.md

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "readme: $tool is required" >&2; exit 1; }
done

if [ -z "$given" ]; then
  cargo build -q -p pimento # a no-op when the debug binary is current
fi
bin=${given:-$(realpath "${CARGO_TARGET_DIR:-target}/debug/pimento")}
[ -x "$bin" ] || { echo "readme: no pimento binary at $bin" >&2; exit 1; }

dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

# The walkthrough's script is README.md with every line outside its sh blocks blanked, so
# bash's own messages ("README.md: line 91: …") point into the README. A block's opening fence
# records which block runs; line 1 sets traps that report on fd 3 where it stopped (ERR: the
# command; EXIT: the block, also after an unset variable, which ERR does not see).
# shellcheck disable=SC2016 # expanded by the walkthrough's shell, not this one
traps='trap '\''echo "README.md:$LINENO: $BASH_COMMAND" >&3'\'' ERR; trap '\''[ $? = 0 ] || echo "walkthrough block $__block failed" >&3'\'' EXIT'
awk -v traps="$traps" '
  NR == 1 { print traps; next }
  /^## / { inside = ($0 == "## A walkthrough") }
  inside && /^```sh$/ { block++; code = 1; printf "__block=%d\n", block; next }
  code && /^```$/ { code = 0; print ""; next }
  code { print; next }
  { print "" }
  END { if (!block) print "echo \"no sh block under ## A walkthrough\" >&3; exit 1" }
' "$readme" >"$dir/README.md"

# Port 0: the server picks a free port and logs it, in the text format at info level.
export DATABASE_URL="sqlite://$dir/pimento.db"
RUST_LOG=info PIMENTO_LOG_FORMAT=text "$bin" serve --listen 127.0.0.1:0 --files-dir "$dir/files" \
  --first-keys-file "$dir/first-keys.json" >"$dir/server.log" 2>&1 &
server=$!
addr=
for _ in $(seq 1 300); do
  addr=$(sed -nE 's/.*pimento is serving address=([0-9.:]+).*/\1/p' "$dir/server.log" | head -n1)
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$addr" ]; then
  echo "readme: the server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

# A hung request must fail CI, not stall it: the whole walkthrough takes about a second.
echo "== README walkthrough against http://$addr"
rc=0
(cd "$dir" && BASE="http://$addr" PIMENTO="$bin" timeout 120 bash -euo pipefail README.md) \
  >"$dir/out.log" 2>&1 3>"$dir/failed" || rc=$?
if [ "$rc" != 0 ]; then
  [ "$rc" = 124 ] && echo "the walkthrough took over 120 s and was stopped" >>"$dir/failed"
  echo "-- walkthrough output" >&2
  cat "$dir/out.log" >&2
  echo >&2 # responses end without a newline
  echo "-- server log (last lines)" >&2
  tail -n 20 "$dir/server.log" >&2
  echo "readme: FAILED" >&2
  cat "$dir/failed" >&2
  exit 1
fi
echo "readme: $(grep -c '^__block=' "$dir/README.md") walkthrough blocks ran"
