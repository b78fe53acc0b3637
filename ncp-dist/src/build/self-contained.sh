#!/usr/bin/env bash
# Lays out the self-contained bundle: a copy of the bundle (bin/, lib/, plugins/, conf/) plus runtime/, a Java runtime
# made by jlink from the JDK that runs the build, with only the modules ncp needs. bin/ncp (find-java.sh) runs
# runtime/bin/java first, so the unpacked bundle runs where only an older Java, or none, is installed.
# The building JDK's start-up cache is left out: it does not fit this runtime (the cds profile trains one for it).
# Run by ncp-dist's build (pom.xml: runtime.modules lists the modules); by hand:
#   ncp-dist/src/build/self-contained.sh ncp-dist/target/ncp ncp-dist/target/ncp-linux-x64 \
#     "$JAVA_HOME/bin/jlink" java.base,java.sql,...
set -euo pipefail
bundle=$(cd "${1:?usage: self-contained.sh BUNDLE_DIR OUT_DIR JLINK MODULES}" && pwd)
out=${2:?OUT_DIR}
jlink=${3:?JLINK}
modules=${4:?MODULES}
# Maven passes the list as written in the pom, possibly over several lines.
modules=$(tr -d ' \t\n\r' <<<"$modules")

rm -rf "$out"
mkdir -p "$out"
cp -a "$bundle/." "$out/"
rm -f "$out/lib/ncp.aot" "$out/lib/ncp.aot.config" "$out/lib/ncp.jsa"
rm -rf "$out/runtime"
# --strip-debug and no headers or man pages: a runtime to run ncp, not to develop with. The modules image is left
# uncompressed: the tarball's gzip compresses it as well, and the JVM maps it without inflating at start-up.
"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$out/runtime" || {
  echo "self-contained: jlink failed. A JDK links from its jmods/ directory, or from its own image when it was built" \
    "so (Temurin 24+); Debian's OpenJDK keeps jmods in a package of its own: apt-get install openjdk-<N>-jmods." >&2
  exit 1
}
echo "self-contained: $out with its own runtime ($(du -sh "$out/runtime" | cut -f1), modules $modules)"
