#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for a fixed time each with cargo-fuzz (libFuzzer),
# on the stable toolchain. A crash or a broken property stops the run and fails it; libFuzzer
# prints the input and keeps it in fuzz/artifacts/<target>/.
#
#   fuzz/run.sh                                   every target, 60 s each
#   FUZZ_SECONDS=300 fuzz/run.sh cursor price     those targets, 5 minutes each
#   fuzz/run.sh --replay csv_import fuzz/artifacts/csv_import/crash-…   one input again
#
# Targets: csv_import, ndjson_import (the import files), cursor (list cursors), medusa_fields
# (Medusa's `fields`), price (the price decimal); docs/ARCHITECTURE.md says what each holds.
# Inputs that reached new code are kept in fuzz/corpus/<target>/ (not committed) and start the
# next run, with the valid inputs of fuzz/seeds/<target>/.
#
# FUZZ_SECONDS: seconds per target (default 60). The first build takes several minutes.
set -euo pipefail
cd "$(dirname "$0")"

CARGO_FUZZ_VERSION=0.13.2
secs=${FUZZ_SECONDS:-60}

if ! cargo fuzz --version 2>/dev/null | grep -qF "$CARGO_FUZZ_VERSION"; then
  cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
# cargo-fuzz passes rustc flags that only nightly takes unless told otherwise (-Z…). Without
# a sanitizer (-s none) nothing else of nightly is needed: libFuzzer's coverage
# instrumentation is LLVM's, in every rustc.
export RUSTC_BOOTSTRAP=1

if [ "${1:-}" = "--replay" ]; then
  [ $# = 3 ] || { echo "usage: fuzz/run.sh --replay TARGET FILE" >&2; exit 2; }
  exec cargo fuzz run -s none "$2" "$(realpath "$3")"
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build -s none
for t in "${targets[@]}"; do
  echo "== fuzzing $t for $secs s"
  mkdir -p "corpus/$t"
  cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$secs" -print_final_stats=1
done
echo "fuzz: ${#targets[@]} targets ran $secs s each without a failure"
