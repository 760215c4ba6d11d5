#!/usr/bin/env bash
# Seeds a catalog and loads Pimento with wrk, beside a minimal axum handler measured in the same
# run. Prints a markdown table; figures go in docs/PERFORMANCE.md.
#
#   bench/run.sh                              # 100,000 products on a fresh SQLite file
#   N=20000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench bench/run.sh
#
# Knobs: PIMENTO_BIN (a binary to measure instead of this tree's release build), N (products),
# DURATION (s per scenario, default 15), CONNS (default 32), CREATE_CONNS (default 8), THREADS
# (wrk threads, default 2), IDS (products the reads pick from: the first 2000 by default, `all`
# for every one), SCENARIOS (baseline get get_pim get_medusa get_cscart list uncached create
# idempotent media pim query; media adds one asset to an existing product with CREATE_CONNS
# clients; query uses QUERY_CONNS clients, default 4). `uncached` runs get and
# list against a second server on the same database with the product view cache off. Each
# result after `baseline` shows its share of the baseline's req/s.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
DURATION=${DURATION:-15}
CONNS=${CONNS:-32}
CREATE_CONNS=${CREATE_CONNS:-8}
THREADS=${THREADS:-2}
SCENARIOS=${SCENARIOS:-"baseline get get_pim get_medusa get_cscart list uncached create"}
IDS=${IDS:-2000}
PORT=${PORT:-18080}
BASE_PORT=${BASE_PORT:-18090}
work=$(mktemp -d /tmp/pimento-bench.XXXXXX)
export DATABASE_URL=${DATABASE_URL:-sqlite://$work/bench.db}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
# PIMENTO_BIN runs another build (a baseline beside this one) instead of building this tree.
if [ -n "${PIMENTO_BIN:-}" ]; then bin=$PIMENTO_BIN; else cargo build --release --quiet; bin=target/release/pimento; fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

org=$($bin org create "Bench $(date +%s)" --json)
export PIMENTO_KEY=$(echo "$org" | sed -E 's/.*"secret_key":"([^"]+)".*/\1/')
org_id=$(echo "$org" | sed -E 's/.*"organization_id":"([^"]+)".*/\1/')
export PIMENTO_ORG=$org_id
export PIMENTO_TENANT=$(echo "$org" | sed -E 's/.*"tenant_id":"([^"]+)".*/\1/')

echo "seeding $N products into ${DATABASE_URL%%\?*} ..." >&2
seed_out=$($bin dev seed --products "$N" --organization "$org_id")
echo "$seed_out" >&2

RUST_LOG=warn $bin serve --listen "127.0.0.1:$PORT" --no-migrate >"$work/serve.log" 2>&1 & pids+=($!)
UNCACHED_PORT=${UNCACHED_PORT:-18081}
if [[ " $SCENARIOS " == *" uncached "* ]]; then
  RUST_LOG=warn $bin serve --listen "127.0.0.1:$UNCACHED_PORT" --no-migrate --no-worker --view-cache-mb 0 \
    >"$work/serve-uncached.log" 2>&1 & pids+=($!)
fi
$bin dev baseline --listen "127.0.0.1:$BASE_PORT" >"$work/baseline.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 0.2; done
kill -0 "${pids[0]}" 2>/dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

# Ids to read: walk the first pages of the catalog (all of them with IDS=all).
export PIMENTO_IDS_FILE=$work/ids.txt
pages=$([ "$IDS" = all ] && echo $((N / 200 + 1)) || echo $(((IDS + 199) / 200)))
cursor=""
for _ in $(seq 1 "$pages"); do
  hdr=$(mktemp)
  curl -sf -D "$hdr" -H "Authorization: Bearer $PIMENTO_KEY" \
    "http://127.0.0.1:$PORT/api/v1/products?limit=200${cursor:+&cursor=$cursor}" |
    grep -oE '"id":"[0-9a-f-]{36}","name"' | cut -d'"' -f4 >>"$PIMENTO_IDS_FILE"
  cursor=$(grep -i '^x-next-cursor:' "$hdr" | awk '{print $2}' | tr -d '\r' || true)
  rm -f "$hdr"
  [ -n "$cursor" ] || break
done
# The same products by Medusa's ids (prod_ and the id as a ULID) and CS-Cart's numbers.
python3 - "$PIMENTO_IDS_FILE" "$work/medusa-ids.txt" <<'PY'
import sys, uuid
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
with open(sys.argv[1]) as ids, open(sys.argv[2], "w") as out:
    for line in ids:
        n = uuid.UUID(line.strip()).int
        out.write("prod_" + "".join(alphabet[(n >> (5 * i)) & 31] for i in reversed(range(26))) + "\n")
PY
count=$(wc -l <"$PIMENTO_IDS_FILE")
seq 1 "$count" >"$work/numbers.txt"

baseline_rps=
run() { # name url script conns
  wrk -t"$THREADS" -c"$4" -d"${WARMUP:-3}"s -s "bench/wrk/$3" "$2" >/dev/null 2>&1 || true
  local line rps share=
  line=$(wrk -t"$THREADS" -c"$4" -d"$DURATION"s --latency -s "bench/wrk/$3" "$2" | grep '^RESULT')
  rps=$(echo "$line" | sed -E 's/.*rps=([0-9]+).*/\1/')
  if [ -z "$baseline_rps" ] && [[ $1 == baseline* ]]; then baseline_rps=$rps; fi
  [ -n "$baseline_rps" ] && [[ $1 != baseline* ]] && share=$(awk -v a="$rps" -v b="$baseline_rps" 'BEGIN{printf "%.1f %%", 100*a/b}')
  printf '| %s | %s | %s | %s |\n' "$1" "$4" "${line#RESULT }" "$share"
}

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); database ${DATABASE_URL%%://*}; $N products"
echo "Seed: $seed_out"
echo
echo "| scenario | connections | result | of baseline |"
echo "|---|---|---|---|"
for s in $SCENARIOS; do
  case $s in
    baseline) run "baseline: fixed 2 KB JSON" "http://127.0.0.1:$BASE_PORT" baseline.lua "$CONNS" ;;
    get) run "GET /api/v1/products/{id}?include=variants,mediaAssets" "http://127.0.0.1:$PORT" get_by_id.lua "$CONNS" ;;
    get_pim) GET_PREFIX=/api/v1/pim/products/ GET_SUFFIX= GET_PIM=1 \
      run "GET /api/v1/pim/products/{id}" "http://127.0.0.1:$PORT" get_by_id.lua "$CONNS" ;;
    get_medusa) GET_PREFIX=/admin/products/ GET_SUFFIX= PIMENTO_IDS_FILE=$work/medusa-ids.txt \
      run "GET /admin/products/{id} (Medusa's default fields)" "http://127.0.0.1:$PORT" get_by_id.lua "$CONNS" ;;
    get_cscart) GET_PREFIX=/api/products/ GET_SUFFIX= PIMENTO_IDS_FILE=$work/numbers.txt \
      GET_AUTH="Basic $(printf 'bench@example.com:%s' "$PIMENTO_KEY" | base64 -w0)" \
      run "GET /api/products/{id} (CS-Cart)" "http://127.0.0.1:$PORT" get_by_id.lua "$CONNS" ;;
    list) run "GET /api/v1/products?limit=50&include=variants,mediaAssets" "http://127.0.0.1:$PORT" list.lua "$CONNS" ;;
    uncached)
      for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$UNCACHED_PORT/ready" >/dev/null && break; sleep 0.2; done
      run "GET /api/v1/products/{id}?include=… with the view cache off" "http://127.0.0.1:$UNCACHED_PORT" get_by_id.lua "$CONNS"
      run "GET /api/v1/products?limit=50&include=… with the view cache off" "http://127.0.0.1:$UNCACHED_PORT" list.lua "$CONNS" ;;
    create) run "POST /api/v1/products (3 variants, 2 media)" "http://127.0.0.1:$PORT" create.lua "$CREATE_CONNS" ;;
    media) run "POST /api/v1/products/{id}/media-assets (one asset)" "http://127.0.0.1:$PORT" add_media.lua "$CREATE_CONNS" ;;
    idempotent) IDEMPOTENT=1 run "POST /api/v1/products, a new Idempotency-Key each" "http://127.0.0.1:$PORT" create.lua "$CREATE_CONNS" ;;
    pim) # The PIM's reports and lists; PIM_CONNS (default 8) clients each.
      for path in /api/v1/pim/stats /api/v1/pim/products "/api/v1/pim/validation" \
        "/api/v1/pim/validation?code=MISSING_PRICE" /api/v1/pim/audit "/api/v1/pim/audit?action=update"; do
        PIM_PATH=$path run "GET $path" "http://127.0.0.1:$PORT" pim.lua "${PIM_CONNS:-8}"
      done ;;
    query) # The product query: search, filtered and sorted pages, a deep page by cursor and by offset.
      h=(-H "Authorization: Bearer $PIMENTO_KEY" -H "X-Tenant-ID: $PIMENTO_TENANT" -H "X-Org-ID: $PIMENTO_ORG")
      P=/api/v1/pim/products
      brand=$(curl -sf "${h[@]}" "http://127.0.0.1:$PORT/api/v1/pim/brands" | grep -oE '"id":"[0-9a-f-]{36}"' | head -1 | cut -d'"' -f4)
      category=$(curl -sf "${h[@]}" "http://127.0.0.1:$PORT/api/v1/pim/categories" | grep -oE '"id":"[0-9a-f-]{36}"' | head -1 | cut -d'"' -f4)
      # The cursor of page N/50 - 1 (page 20,000 at 1,000,000 products) is the id before it.
      deep=$(curl -sf "${h[@]}" "http://127.0.0.1:$PORT$P?limit=1&offset=$((N - 50 - 1))" | grep -oE '"id":"[0-9a-f-]{36}"' | head -1 | cut -d'"' -f4)
      for path in "$P?q=olive%20parka&limit=50" "$P?q=merino&limit=50" "$P?q=4242&limit=50" \
        "$P?brand_id=$brand&status=ACTIVE&sort=-created_at&limit=50" "$P?category_id=$category&sort=title&limit=50" \
        "$P?limit=50" "$P?limit=50&cursor=$deep" "$P?limit=50&offset=1000" "$P?limit=50&offset=$((N / 2))"; do
        label=${path//$brand/<brand>}; PIM_PATH=$path run "GET ${label//$category/<category>}" "http://127.0.0.1:$PORT" pim.lua "${QUERY_CONNS:-4}"
      done ;;
  esac
done
echo
echo "server RSS after the run: $(ps -o rss= -p "${pids[0]}" | awk '{printf "%.0f MB", $1/1024}')"
echo "view cache: $(curl -sf "http://127.0.0.1:$PORT/metrics" | grep '^pimento_view_cache' | sed -E 's/pimento_view_cache\{measure="([a-z]+)"\} /\1=/' | tr '\n' ' ')"
rm -rf "$work"
