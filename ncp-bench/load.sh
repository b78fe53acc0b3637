#!/usr/bin/env bash
# Load run through the real bundle against a scripted upstream, each scenario beside the same requests sent straight
# to the upstream: time to first content delta, total latency, requests/s, errors, ncp's CPU per request and RSS;
# then 1,000 open slow streams (RSS, pings) and cold start with and without the start-up cache (AOT cache or AppCDS
# archive). Prints one table and writes ncp-bench/target/load-results.json. Method and figures: docs/performance.md.
#
#   ncp-bench/load.sh                                  build bundle + bench, run everything (~4 min on 2 cores)
#   ncp-bench/load.sh --no-build --phases load         reuse the builds; the load table only
#   ncp-bench/load.sh --concurrency 16 --bodies claudeCode --requests 400
#   ncp-bench/load.sh --tool --delay-ms 5              tool-call stream, 5 ms between chunks
#   ncp-bench/load.sh --compare-url http://127.0.0.1:3456 --upstream-port 18080   beside another proxy
# Every option after --no-build goes to dev.ncp.bench.load.LoadRun (see its javadoc for the list).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
bench_ready "$build"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the load generator, the upstream and ncp share these cores)"
cd "$root"
exec "$JAVA_HOME/bin/java" -Xss512k -cp "$jar" dev.ncp.bench.load.LoadRun \
  --bundle "$root/ncp-dist/target/ncp" --out "$root/ncp-bench/target/load-results.json" "$@"
