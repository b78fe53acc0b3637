#!/usr/bin/env bash
# Measures the time from launching the built bundle (bin/ncp proxy) to its first healthy /health answer.
# Usage: scripts/measure-startup.sh [runs]   (build first: ./ncpw build; NCP_BUNDLE=DIR measures another bundle,
# e.g. ncp-dist/target/ncp-linux-x64, the self-contained one, on its own runtime)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle="${NCP_BUNDLE:-$root/ncp-dist/target/ncp}"
runs=${1:-5}
[ -x "$bundle/bin/ncp" ] || { echo "no bundle at $bundle: run ./ncpw build first" >&2; exit 1; }
# A free loopback port: one nobody answers on (bash's /dev/tcp, so nothing beyond bash and curl is needed).
free_port() {
  local p _
  for _ in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  echo "no free port found" >&2; return 1
}
port=$(free_port)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total=0
times=()
for i in $(seq 1 "$runs"); do
  rm -f "$tmp"/ncp.db*
  start=$(date +%s%N)
  HOME="$tmp" NCP_SQLITE_PATH="$tmp/ncp.db" "$bundle/bin/ncp" proxy --port "$port" >"$tmp/out.log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"healthy":true'; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/out.log"; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  total=$(( total + ms ))
  times+=("$ms")
  echo "run $i: ${ms} ms to first healthy /health"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
cache=none
for f in ncp.aot ncp.jsa; do [ -f "$bundle/lib/$f" ] && cache="lib/$f"; done
echo "median: ${sorted[$(( (runs - 1) / 2 ))]} ms, best: ${sorted[0]} ms, mean: $(( total / runs )) ms over $runs runs" \
  "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), start-up cache: $cache)"
