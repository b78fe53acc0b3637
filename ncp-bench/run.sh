#!/usr/bin/env bash
# Builds ncp-bench (through ../ncpw) and runs its JMH benchmarks with short settings, printing JMH's table and
# writing the results as JSON to ncp-bench/target/jmh-results.json, then a summary of them (mean, median and best
# iteration, B/op under -prof gc; needs python3). Method and figures: docs/performance.md.
#
#   ncp-bench/run.sh                          every benchmark, defaults -f 1 -wi 3 -w 1s -i 5 -r 1s
#   ncp-bench/run.sh ChunkPathBench -prof gc  one class, plus allocation per op (gc.alloc.rate.norm, B/op)
#   ncp-bench/run.sh -i 10 -r 2s Sse          any JMH option; one you give replaces the default of that name
#   ncp-bench/run.sh --no-build ...           reuse ncp-bench/target/benchmarks.jar as it is
#   ncp-bench/run.sh -h                       JMH's own help (-l lists the benchmarks)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
jar="$root/ncp-bench/target/benchmarks.jar"
results="$root/ncp-bench/target/jmh-results.json"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
if [ "$build" = 1 ]; then
  echo "building ncp-bench (ncp-api, ncp-host and its test-jar, then the benchmarks jar)..."
  "$root/ncpw" mvn -q -pl ncp-bench -am package -DskipTests
fi
[ -f "$jar" ] || { echo "no $jar: run without --no-build" >&2; exit 1; }

# shellcheck source=../ncp-dist/src/main/bundle/bin/find-java.sh
. "$root/ncp-dist/src/main/bundle/bin/find-java.sh"
ncp_find_java || exit 1
java_major=$(ncp_java_major "$JAVA_HOME")

given() { # whether the user's arguments name JMH option $1
  local a
  for a in "${user_args[@]}"; do [ "$a" = "$1" ] && return 0; done
  return 1
}
user_args=("$@")
args=()
for pair in "-f 1" "-wi 3" "-w 1s" "-i 5" "-r 1s" "-rf json" "-rff $results"; do
  # shellcheck disable=SC2086
  set -- $pair
  given "$1" || args+=("$1" "$2")
done
jvm=()
if [ "$java_major" -ge 24 ]; then
  # JMH 1.37 reads fields through sun.misc.Unsafe, which JDK 24+ warns about in every fork.
  jvm=(--sun-misc-unsafe-memory-access=allow)
  given -jvmArgsAppend || args+=(-jvmArgsAppend "--sun-misc-unsafe-memory-access=allow")
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on these cores skews the figures)"
cd "$root"
rm -f "$results" # so a run that measures nothing (-l, -h) is not summarized with an old file
"$JAVA_HOME/bin/java" "${jvm[@]}" -jar "$jar" "${args[@]}" "${user_args[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -s "$results" ]; then
  echo "JSON results: $results"
  if command -v python3 >/dev/null 2>&1; then
    echo; python3 "$root/ncp-bench/summarize.py" "$results"
  fi
fi
