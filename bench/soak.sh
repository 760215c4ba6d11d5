#!/usr/bin/env bash
# The soak: a mixed load (bench/wrk/mixed.lua: reads, list pages, updates, creates) held at
# about 80 % of its peak for SOAK seconds (default 600), with the server's memory sampled every
# 10 s. Prints the peak, the paced rate, errors and RSS over time; figures go in
# docs/PERFORMANCE.md. Not a CI test: it takes the machine for eleven minutes.
#
#   bench/soak.sh                     # 20,000 products on a fresh SQLite file
#   N=20000 SOAK=600 DATABASE_URL=postgres://postgres@127.0.0.1:5432/soak bench/soak.sh
#
# Knobs: PIMENTO_BIN (a binary instead of this tree's release build), N, SOAK, CONNS (default 32),
# THREADS (wrk threads, default 2), LOAD (share of the peak to hold, percent, default 80).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20000}
SOAK=${SOAK:-600}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
LOAD=${LOAD:-80}
PORT=${PORT:-18085}
work=$(mktemp -d /tmp/pimento-soak.XXXXXX)
export DATABASE_URL=${DATABASE_URL:-sqlite://$work/soak.db}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
if [ -n "${PIMENTO_BIN:-}" ]; then bin=$PIMENTO_BIN; else cargo build --release --quiet; bin=target/release/pimento; fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

org=$($bin org create "Soak $(date +%s)" --json)
export PIMENTO_KEY=$(echo "$org" | sed -E 's/.*"secret_key":"([^"]+)".*/\1/')
org_id=$(echo "$org" | sed -E 's/.*"organization_id":"([^"]+)".*/\1/')
echo "seeding $N products into ${DATABASE_URL%%\?*} ..." >&2
$bin dev seed --products "$N" --organization "$org_id" >&2

RUST_LOG=warn $bin serve --listen "127.0.0.1:$PORT" --no-migrate >"$work/serve.log" 2>&1 & pids+=($!)
server=${pids[0]}
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 0.2; done
kill -0 "$server" 2>/dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

export PIMENTO_IDS_FILE=$work/ids.txt
curl -sf -H "Authorization: Bearer $PIMENTO_KEY" "http://127.0.0.1:$PORT/api/v1/products?limit=200" |
  grep -oE '"id":"[0-9a-f-]{36}","name"' | cut -d'"' -f4 >"$PIMENTO_IDS_FILE"

url="http://127.0.0.1:$PORT"
field() { echo "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2; }
load() { # seconds delay_ms -> RESULT line
  DELAY_MS=$2 wrk -t"$THREADS" -c"$CONNS" -d"$1"s --latency -s bench/wrk/mixed.lua "$url" | grep '^RESULT'
}
rss() { ps -o rss= -p "$server" | awk '{printf "%.0f", $1/1024}'; }

wrk -t"$THREADS" -c"$CONNS" -d5s -s bench/wrk/mixed.lua "$url" >/dev/null 2>&1 || true
peak=$(load 30 0)
peak_rps=$(field "$peak" rps)
target=$(awk -v p="$peak_rps" -v l="$LOAD" 'BEGIN{printf "%.0f", p*l/100}')
# Each connection waits between requests so that together they send about the target rate;
# one short run calibrates the wait against the latency the pacing itself leaves.
delay=$(awk -v c="$CONNS" -v t="$target" 'BEGIN{d=c*1000/t; printf "%.0f", (d<1?1:d)}')
probe=$(load 15 "$delay")
probe_rps=$(field "$probe" rps)
delay=$(awk -v d="$delay" -v r="$probe_rps" -v t="$target" 'BEGIN{n=d*r/t; printf "%.0f", (n<1?1:n)}')

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); database ${DATABASE_URL%%://*}; $N products"
echo "peak (30 s, $CONNS connections): $peak"
echo "holding ${LOAD} % ≈ $target req/s for $SOAK s (each connection waits ${delay} ms between requests)"
samples=$work/rss.txt
(while kill -0 "$server" 2>/dev/null; do echo "$(date +%s) $(rss)" >>"$samples"; sleep 10; done) & pids+=($!)
soak=$(load "$SOAK" "$delay")
echo "soak: $soak"
echo
echo "| minute | RSS (MB) |"
echo "|---|---|"
start=$(head -1 "$samples" | awk '{print $1}')
awk -v s="$start" '{m=int(($1-s)/60); last[m]=$2} END{for (m in last) print m, last[m]}' "$samples" | sort -n |
  awk '{printf "| %d | %s |\n", $1, $2}'
echo
echo "RSS min/max over the soak: $(awk 'NR==1{mn=$2;mx=$2} {if($2<mn)mn=$2; if($2>mx)mx=$2} END{print mn " / " mx " MB"}' "$samples")"
errors=$(field "$soak" errors); non2xx=$(field "$soak" non2xx)
echo "errors: $errors, non-2xx: $non2xx; server log warnings: $(grep -ci 'warn\|error' "$work/serve.log" || true)"
