#!/usr/bin/env bash
# Soak run of the real bundle against a scripted upstream that fails on purpose: streamed and whole answers, tool
# calls, thinking, client hang-ups and idempotent repeats, 1 % of each upstream fault (reset mid-stream, 5xx, 429 with
# Retry-After, silence, truncated stream), on SQLite or on a real redis-server restarted half-way. Prints a row per
# minute (RSS, heap after GC, threads, descriptors, upstream connections, first-delta p50/p99, the error mix) and
# exits 1 when a client sees anything but a clean answer or a clean Anthropic error, or a gauge trends up.
# Writes ncp-bench/target/soak-STORAGE.json. Method and figures: docs/performance.md ("Soak").
#
#   ncp-bench/soak.sh                                   build bundle + bench, 30 minutes on SQLite
#   ncp-bench/soak.sh --no-build --storage redis        30 minutes on Redis (redis-server on PATH)
#   ncp-bench/soak.sh --no-build --minutes 3 --sample-seconds 15     a short check
#   ncp-bench/soak.sh --no-build --bundle /tmp/ncp-copy ...          a copy, so rebuilding does not disturb it
# Every option after --no-build goes to dev.ncp.bench.load.SoakRun (see its javadoc for the list).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
bench_ready "$build"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
# The clients' keep-alive ends (10 s) before ncp's idle timeout for client connections (30 s), so a request never
# meets a connection ncp is closing at that moment: such a failure would be the client's, not ncp's.
exec "$JAVA_HOME/bin/java" -Xss512k -Djdk.httpclient.keepalive.timeout=10 -cp "$jar" dev.ncp.bench.load.SoakRun \
  --bundle "$root/ncp-dist/target/ncp" "$@"
