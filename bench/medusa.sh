#!/usr/bin/env bash
# Pimento's Medusa admin API beside a real Medusa 2.21 in one run: the same catalog shape
# (2,000 products, 3 variants each, seeded through each server's /admin/products/batch) and
# the same wrk scripts (the Medusa peer's: GET by id, a list page of 20 at a random offset, a
# `q` search, a create) pointed at each. Prints each side's figures and the ratios.
#
#   bench/medusa.sh                     # Pimento (release build, SQLite) and the Medusa peer
#   MEDUSA=0 bench/medusa.sh            # Pimento only
#
# Knobs: PEER (the Medusa peer's folder, default ../shared/peers/medusa), N (2000), THREADS (2),
# CONNS (32), DURATION (15s), SCENARIOS ("get list search create"), PIMENTO_BIN, DATABASE_URL.
# The Medusa side runs the peer's own setup.sh, seed.mjs and bench.sh (see its README).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEER=${PEER:-$ROOT/../shared/peers/medusa}
N=${N:-2000}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-15s}
SCENARIOS=${SCENARIOS:-"get list search create"}
PORT=${PORT:-18180}
MEDUSA=${MEDUSA:-1}
work=$(mktemp -d /tmp/pimento-medusa-bench.XXXXXX)
export DATABASE_URL=${DATABASE_URL:-sqlite://$work/bench.db}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -d "$PEER/wrk" ] || { echo "no Medusa peer at $PEER (set PEER)" >&2; exit 1; }
if [ -n "${PIMENTO_BIN:-}" ]; then bin=$PIMENTO_BIN; else cargo build --release --quiet; bin=target/release/pimento; fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

org=$($bin org create "Medusa bench $(date +%s)" --json)
KEY=$(echo "$org" | sed -E 's/.*"secret_key":"([^"]+)".*/\1/')
RUST_LOG=warn $bin serve --listen "127.0.0.1:$PORT" --no-migrate >"$work/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 0.2; done

echo "== Pimento: seeding $N products" >&2
URL="http://127.0.0.1:$PORT" KEY=$KEY N=$N SC_ID=sc_bench SP_ID=sp_bench OUT="$work/ids.txt" node bench/medusa-seed.mjs >&2

# One wrk run per scenario with the peer's scripts; the key rides as their Bearer token.
declare -A SCRIPT=( [get]=get_by_id.lua [list]=list.lua [search]=search.lua [create]=create.lua )
run() { # run NAME URL TOKEN IDS_FILE OUT_DIR
  local sc=$1 url=$2 token=$3 ids=$4 out=$5
  MEDUSA_TOKEN=$token WRK_DIR=$PEER/wrk IDS_FILE=$ids SC_ID=$RUN_SC SP_ID=$RUN_SP MAX_OFFSET=$((N - 20)) \
    RUN_ID="w$(date +%s%N)" wrk -t "$THREADS" -c "$CONNS" -d 5s --timeout 30s -s "$PEER/wrk/${SCRIPT[$sc]}" "$url" >/dev/null 2>&1 || true
  MEDUSA_TOKEN=$token WRK_DIR=$PEER/wrk IDS_FILE=$ids SC_ID=$RUN_SC SP_ID=$RUN_SP MAX_OFFSET=$((N - 20)) \
    RUN_ID="m$(date +%s%N)" wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" --timeout 30s --latency \
    -s "$PEER/wrk/${SCRIPT[$sc]}" "$url" >"$out/$sc.txt"
}
figures() { # figures FILE → "req/s p50 p99 non2xx"
  awk '/^Requests\/sec/ {r=$2} /^     50%/ {p50=$2} /^     99%/ {p99=$2} /Non-2xx/ {e=$NF}
       END {printf "%s %s %s %s\n", r, p50, p99, (e==""?0:e)}' "$1"
}

mkdir -p "$work/pimento"
RUN_SC=sc_bench RUN_SP=sp_bench
for sc in $SCENARIOS; do
  echo "== Pimento: $sc" >&2
  run "$sc" "http://127.0.0.1:$PORT" "$KEY" "$work/ids.txt" "$work/pimento"
done
kill "${pids[0]}" 2>/dev/null || true

if [ "$MEDUSA" = 1 ]; then
  echo "== Medusa: setup and seed (see $PEER/README.md)" >&2
  # The peer reads its own DATABASE_URL from its .env; ours must not reach it.
  (cd "$PEER" && env -u DATABASE_URL ./setup.sh >"$work/medusa-setup.log" 2>&1 && N=$N node seed.mjs >"$work/medusa-seed.log" 2>&1)
  PEER_DIR=${MEDUSA_PEER_DIR:-/tmp/medusa-peer}
  token=$(cat "$PEER_DIR/token.txt")
  first_id() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]][0].id))' "$1"; }
  RUN_SC=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:9000/admin/sales-channels?limit=1&fields=id" | first_id sales_channels)
  RUN_SP=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:9000/admin/shipping-profiles?limit=1&fields=id" | first_id shipping_profiles)
  mkdir -p "$work/medusa"
  for sc in $SCENARIOS; do
    echo "== Medusa: $sc" >&2
    run "$sc" "http://127.0.0.1:9000" "$token" "$PEER_DIR/product_ids.txt" "$work/medusa"
  done
  (cd "$PEER" && ./stop.sh >/dev/null 2>&1) || true
fi

echo
echo "| scenario | Pimento req/s | p50 | p99 | non-2xx | Medusa req/s | p50 | p99 | non-2xx | ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for sc in $SCENARIOS; do
  read -r pr pp50 pp99 pe < <(figures "$work/pimento/$sc.txt")
  if [ -f "$work/medusa/$sc.txt" ]; then
    read -r mr mp50 mp99 me < <(figures "$work/medusa/$sc.txt")
    ratio=$(awk -v a="$pr" -v b="$mr" 'BEGIN { if (b > 0) printf "%.0f×", a / b; else print "-" }')
  else
    mr=- mp50=- mp99=- me=- ratio=-
  fi
  echo "| $sc | $pr | $pp50 | $pp99 | $pe | $mr | $mp50 | $mp99 | $me | $ratio |"
done
echo
echo "raw wrk output: $work" >&2
