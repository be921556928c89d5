#!/usr/bin/env bash
# Runs a command while two extra processes spin on both cores (a machine busy with a compiler, a
# browser, other CI jobs): the tests must wait for events, never for time, so they pass here too.
#   bash scripts/stress.sh CMD ARGS...     (npm run test:stress = the whole suite this way)
#   SGDEXP_STRESS_PROCS=N                  spinners (default: one per core)
set -uo pipefail
n=${SGDEXP_STRESS_PROCS:-$(nproc)}
pids=()
stop() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; pids=(); }
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
for _ in $(seq 1 "$n"); do
  node -e 'for (;;) {}' &
  pids+=($!)
done
export SGDEXP_STRESS=$n
echo "stress: $n spinning process(es) on $(nproc) core(s) while: $*"
"$@"
rc=$?
stop
exit $rc
