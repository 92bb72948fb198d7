#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in their own build folder and runs
# each for a while on its seed corpus. Used by ctest (briefly) and by hand:
#   tests/fuzz/run-fuzzers.sh SRC_DIR BUILD_DIR [SECONDS] [FUZZER...]
# New interesting inputs go to BUILD_DIR/fuzz-corpus/<fuzzer>, crashes to
# BUILD_DIR/fuzz-artifacts/ (the source tree is never written).
set -euo pipefail
src=$1
build=$2
seconds=${3:-30}
shift $(( $# < 3 ? $# : 3 ))

fuzz_build=$build/fuzz-clang
mkdir -p "$build/fuzz-artifacts"
if ! { cmake -S "$src/tests/fuzz/standalone" -B "$fuzz_build" -G Ninja \
         -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
       cmake --build "$fuzz_build"; } >"$build/fuzz-artifacts/build.log" 2>&1; then
  tail -n 40 "$build/fuzz-artifacts/build.log"
  echo "the clang fuzz build failed"
  exit 1
fi

fuzzers=("$@")
if [ ${#fuzzers[@]} -eq 0 ]; then
  for f in frame_decoder intake_validator work_order; do
    [ -x "$fuzz_build/fuzz_$f" ] && fuzzers+=("$f")
  done
fi

for f in "${fuzzers[@]}"; do
  mkdir -p "$build/fuzz-corpus/$f"
  echo "fuzz_$f: ${seconds}s"
  log=$build/fuzz-artifacts/$f.log
  rc=0
  "$fuzz_build/fuzz_$f" -max_total_time="$seconds" -max_len="${SUQIU_FUZZ_MAX_LEN:-8192}" \
    -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$f-" \
    "$build/fuzz-corpus/$f" "$src/tests/fuzz/corpus/$f" >"$log" 2>&1 || rc=$?
  grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$log" || true
  if [ $rc -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz_$f found a problem (exit $rc); the input is in $build/fuzz-artifacts/"
    exit 1
  fi
done
