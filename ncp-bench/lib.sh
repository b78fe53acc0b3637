# Shared by load.sh and soak.sh (sourced, not run): the bundle and the benchmarks jar they drive, built unless the
# caller says --no-build, and the JDK to run them with. Sets root, jar and JAVA_HOME.
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
jar="$root/ncp-bench/target/benchmarks.jar"

# bench_ready BUILD: builds the bundle and ncp-bench when BUILD is 1, checks both are there, finds the JDK and prints
# the machine line every run's figures start with.
bench_ready() {
  if [ "$1" = 1 ]; then
    echo "building the bundle and ncp-bench..."
    "$root/ncpw" mvn -q -DskipTests package
  fi
  [ -f "$jar" ] || { echo "no $jar: run without --no-build" >&2; exit 1; }
  [ -x "$root/ncp-dist/target/ncp/bin/ncp" ] || { echo "no bundle: run without --no-build" >&2; exit 1; }
  # shellcheck source=../ncp-dist/src/main/bundle/bin/find-java.sh
  . "$root/ncp-dist/src/main/bundle/bin/find-java.sh"
  ncp_find_java || exit 1
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  echo "machine: $(nproc) cores, ${cpu:-unknown CPU}; $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
}
