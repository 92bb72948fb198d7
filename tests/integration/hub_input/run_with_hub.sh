#!/bin/bash
# run_with_hub.sh HUB_EXE -- CMD [ARGS...]
#
# Starts the real suqiu-hub on a temporary data folder with ephemeral loopback
# ports, waits for its "ready:" line, exports SUQIU_INGEST, SUQIU_API and
# SUQIU_EVENTS, runs CMD with every argument @INGEST@ / @API@ / @EVENTS@
# replaced by that endpoint, then stops the hub with SIGTERM. Fails when CMD
# fails, when the hub never gets ready, or when it does not exit 0 within 20 s.
set -u

if [ $# -lt 3 ] || [ "$2" != "--" ]; then
  echo "usage: $0 HUB_EXE -- CMD [ARGS...]" >&2
  exit 2
fi
hub_exe=$1
shift 2

dir=$(mktemp -d "${TMPDIR:-/tmp}/suqiu-run-with-hub.XXXXXX")
log=$dir/hub.log
hub_pid=
cleanup() {
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then kill -KILL "$hub_pid" 2>/dev/null; fi
  rm -rf "$dir"
}
trap cleanup EXIT
show_log() {
  echo "---- suqiu-hub output ----" >&2
  cat "$log" >&2
}

"$hub_exe" --data "$dir/data" --ingest 'tcp://127.0.0.1:*' --api 'tcp://127.0.0.1:*' \
  --events 'tcp://127.0.0.1:*' >"$log" 2>&1 &
hub_pid=$!

ready=
for _ in $(seq 600); do
  ready=$(grep -m1 -o 'ready: ingest [^ ]* api [^ ]* events [^ ]*' "$log")
  [ -n "$ready" ] && break
  if ! kill -0 "$hub_pid" 2>/dev/null; then
    echo "run_with_hub: suqiu-hub exited before it was ready" >&2
    show_log
    exit 1
  fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "run_with_hub: suqiu-hub not ready after 60 s" >&2
  show_log
  exit 1
fi
read -r _ _ SUQIU_INGEST _ SUQIU_API _ SUQIU_EVENTS <<<"$ready"
export SUQIU_INGEST SUQIU_API SUQIU_EVENTS
echo "run_with_hub: hub $hub_pid ready: ingest $SUQIU_INGEST api $SUQIU_API events $SUQIU_EVENTS"

args=()
for a in "$@"; do
  a=${a//@INGEST@/$SUQIU_INGEST}
  a=${a//@API@/$SUQIU_API}
  a=${a//@EVENTS@/$SUQIU_EVENTS}
  args+=("$a")
done
"${args[@]}"
cmd_status=$?

kill -TERM "$hub_pid"
# Poll rather than run a watchdog in the background: a stray `sleep` would keep
# ctest's output pipe open after we are done.
for _ in $(seq 200); do
  kill -0 "$hub_pid" 2>/dev/null || break
  [ -n "$(ps -o stat= -p "$hub_pid" | grep Z)" ] && break
  sleep 0.1
done
if kill -0 "$hub_pid" 2>/dev/null && [ -z "$(ps -o stat= -p "$hub_pid" | grep Z)" ]; then
  echo "run_with_hub: suqiu-hub still running 20 s after SIGTERM; killing it" >&2
  kill -KILL "$hub_pid"
fi
wait "$hub_pid"
hub_status=$?
hub_pid=

status=0
if [ "$cmd_status" -ne 0 ]; then
  echo "run_with_hub: ${args[0]} failed with status $cmd_status" >&2
  status=1
fi
if [ "$hub_status" -ne 0 ]; then
  echo "run_with_hub: suqiu-hub ended with status $hub_status on SIGTERM (expected 0)" >&2
  status=1
fi
[ "$status" -ne 0 ] && show_log
exit "$status"
