# Sourced by bin/ncp and ./ncpw: finds a JDK 21 or newer and exports JAVA_HOME to it.
# Order: the bundle's own runtime (BUNDLE_DIR/runtime, in the self-contained tarball: the JDK it was built and its
# start-up cache trained for), then $JAVA_HOME if it is new enough, then the newest JDK in /usr/lib/jvm (Debian's standard JVM directory;
# NCP_JVM_DIR overrides it),
# then the `java` on PATH. Prints one line saying what to install when none is found.

ncp_java_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] || return 0
  if [ -r "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
  fi
  [ "$v" = "1" ] && v=8
  echo "$v"
}

ncp_find_java() { # [BUNDLE_DIR]
  local min=21 best="" best_v=0 d v
  if [ -n "${1:-}" ] && [ -x "$1/runtime/bin/java" ]; then
    export JAVA_HOME="$1/runtime"; return 0
  fi
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(ncp_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then
      export JAVA_HOME; return 0
    fi
  fi
  for d in "${NCP_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$d" ] || continue
    [ -L "$d" ] && continue
    v=$(ncp_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge "$min" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    v=$(ncp_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge "$min" ]; then best="$d"; fi
  fi
  if [ -z "$best" ]; then
    echo "ncp: needs a JDK $min or newer and found none (JAVA_HOME, ${NCP_JVM_DIR:-/usr/lib/jvm}, PATH): install one, e.g. 'sudo apt-get install openjdk-21-jdk-headless' or Temurin 21+, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
