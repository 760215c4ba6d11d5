#!/usr/bin/env bash
# Runs the whole test suite: on SQLite, then on PostgreSQL.
#
# PostgreSQL is taken from PIMENTO_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test);
# every test makes its own schema there and drops it. When that server cannot be reached the
# PostgreSQL run is skipped with a warning, except under CI (CI=true), where that is a failure.
set -euo pipefail
cd "$(dirname "$0")"

export PIMENTO_TEST_POSTGRES_URL="${PIMENTO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Sums cargo's per-binary "test result" lines into one closing line.
summary() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
       END { printf "total: %d passed, %d failed\n", p, f }' "$log"
}

echo "== tests on SQLite"
PIMENTO_TEST_BACKEND=sqlite cargo test --workspace --all-features "$@" 2>&1 | tee -a "$log"

pg_reachable() {
  # host and port from the URL; a TCP connect is enough to know whether to try.
  local hostport host port
  hostport="${PIMENTO_TEST_POSTGRES_URL#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
  host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=5432
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

if pg_reachable; then
  echo "== tests on PostgreSQL ($PIMENTO_TEST_POSTGRES_URL)"
  PIMENTO_TEST_BACKEND=postgres cargo test --workspace --all-features "$@" 2>&1 | tee -a "$log"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PIMENTO_TEST_POSTGRES_URL is unreachable; CI requires it" >&2
  exit 1
else
  echo "warning: PostgreSQL at $PIMENTO_TEST_POSTGRES_URL is unreachable; skipped the PostgreSQL run" >&2
fi

summary
