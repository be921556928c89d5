# Sourced by the install scripts (scripts/ensure-*.sh). A test run starts on a fresh machine whose
# package mirrors may be slow or briefly unreachable (a dropped connection, a mirror caught mid-
# sync: "Hash Sum mismatch"); one such hiccup must cost a wait, not the whole run.
#   retry CMD ARGS...   runs CMD until it succeeds, at most SGDEXP_INSTALL_ATTEMPTS times (3),
#                       waiting 10 s, then 20 s, … between attempts; returns CMD's last status.
retry() {
  local attempts=${SGDEXP_INSTALL_ATTEMPTS:-3} i=1 pause=10 rc
  while :; do
    "$@" && return 0
    rc=$?
    if [ "$i" -ge "$attempts" ]; then
      echo "retry: gave up after $attempts attempts (exit $rc): $*" >&2
      return "$rc"
    fi
    echo "retry: attempt $i of $attempts failed (exit $rc), again in $pause s: $*" >&2
    sleep "$pause"
    i=$((i + 1)); pause=$((pause * 2))
  done
}
