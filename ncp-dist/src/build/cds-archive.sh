#!/usr/bin/env bash
# Writes the bundle's AppCDS archive, lib/ncp.jsa (a dynamic archive on top of the JDK's default CDS), from a short
# training run of `bin/ncp proxy`: start, /health, /v1/models, count_tokens and one /v1/messages (its upstream is a
# closed port, so the request path runs up to the upstream call and its error), then SIGTERM, at which the JVM dumps
# every class it loaded. bin/ncp uses the archive when it exists. Run by `./ncpw build -Pcds` (ncp-dist's cds
# profile) or by hand: ncp-dist/src/build/cds-archive.sh ncp-dist/target/ncp
# The archive only serves the JDK build that wrote it and the jars it saw; with another JDK or changed jars the JVM
# says so in one warning and starts without it (-Xshare:auto).
set -euo pipefail
bundle=$(cd "${1:?usage: cds-archive.sh BUNDLE_DIR}" && pwd)
archive="$bundle/lib/ncp.jsa"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
rm -f "$archive"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HOME="$tmp" NCP_HOME="$tmp/.ncp" NCP_SQLITE_PATH="$tmp/ncp.db" PROXY_PORT="$port" \
  NVIDIA_BASE_URL="http://127.0.0.1:9/v1" NCP_MAX_RETRIES=0 NCP_UPSTREAM_RPM=0 \
  JAVA_OPTS="-XX:ArchiveClassesAtExit=$archive -Xlog:cds=off -Xlog:cds+dynamic=off" \
  "$bundle/bin/ncp" proxy >"$tmp/train.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/train.log" >&2; exit 1; }
  sleep 0.05
done
body='{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"system":"You are a coding agent.","tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}}],"messages":[{"role":"user","content":"List the files."}]}'
curl -fsS "$base/health" >/dev/null
curl -fsS "$base/v1/models" >/dev/null
curl -fsS -H 'content-type: application/json' -d "$body" "$base/v1/messages/count_tokens" >/dev/null
curl -sS -H 'content-type: application/json' -d "$body" "$base/v1/messages" >/dev/null || true
curl -sS -H 'content-type: application/json' -d "${body/\"stream\":true/\"stream\":false}" "$base/v1/messages" >/dev/null || true
kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$archive" ] || { echo "cds-archive: no archive written" >&2; cat "$tmp/train.log" >&2; exit 1; }
echo "cds-archive: wrote $archive ($(du -h "$archive" | cut -f1))"
