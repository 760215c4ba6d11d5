#!/usr/bin/env bash
# Measures the background jobs on a seeded catalog: export (CSV and NDJSON) with peak memory,
# import of the CSV into an empty database, re-import (nothing to change), and a bulk price
# change through the HTTP API and the in-process worker. Figures go in docs/PERFORMANCE.md.
#
#   bench/jobs.sh                                   # 100,000 products on SQLite
#   N=20000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench IMPORT_URL=postgres://…/bench_import bench/jobs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
PORT=${PORT:-18080}
work=$(mktemp -d /tmp/pimento-jobs.XXXXXX)
export DATABASE_URL=${DATABASE_URL:-sqlite://$work/bench.db}
IMPORT_URL=${IMPORT_URL:-sqlite://$work/import.db}
export PIMENTO_FILES_DIR=$work/files
cargo build --release --quiet
bin=target/release/pimento
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

org=$($bin org create "Jobs bench $(date +%s)" --json)
key=$(echo "$org" | sed -E 's/.*"secret_key":"([^"]+)".*/\1/')
org_id=$(echo "$org" | sed -E 's/.*"organization_id":"([^"]+)".*/\1/')
tenant=$(echo "$org" | sed -E 's/.*"tenant_id":"([^"]+)".*/\1/')
$bin dev seed --products "$N" --organization "$org_id" >&2

peak() { /usr/bin/time -f "peak RSS %M KiB" "$@"; }
echo "== export csv" >&2
peak $bin export --format csv --out "$work/catalog.csv" --organization "$org_id"
echo "== export ndjson" >&2
peak $bin export --format ndjson --out "$work/catalog.ndjson" --organization "$org_id"
ls -la "$work"/catalog.* >&2

echo "== import csv into an empty database" >&2
DATABASE_URL=$IMPORT_URL $bin org create "Import target" --json >/dev/null
DATABASE_URL=$IMPORT_URL peak $bin import "$work/catalog.csv"
echo "== import the same file again" >&2
DATABASE_URL=$IMPORT_URL peak $bin import "$work/catalog.csv"

echo "== bulk price change over every product (HTTP + worker)" >&2
$bin serve --listen 127.0.0.1:$PORT >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
h=(-H "Authorization: Bearer $key" -H "X-Tenant-ID: $tenant" -H "X-Org-ID: $org_id" -H "Content-Type: application/json")
start=$(date +%s.%N)
job=$(curl -fs "${h[@]}" -X POST "http://127.0.0.1:$PORT/api/v1/pim/bulk-jobs" \
  -d '{"type":"BULK_UPDATE","payload":{"filter":{},"price":{"adjust_percent":10}}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
while :; do
  state=$(curl -fs "${h[@]}" "http://127.0.0.1:$PORT/api/v1/pim/jobs/$job")
  case "$state" in *'"status":"SUCCEEDED"'*|*'"status":"FAILED"'*) break ;; esac
  sleep 0.2
done
end=$(date +%s.%N)
echo "$state" >&2
echo "bulk price change over $N products: $(echo "$end - $start" | bc) s"
