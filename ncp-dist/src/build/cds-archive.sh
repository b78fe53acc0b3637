#!/usr/bin/env bash
# Writes the bundle's start-up cache from a short training run of `bin/ncp proxy` against a scripted upstream
# (TrainingUpstream.java, run by the JDK's source launcher): /health, /v1/models, then rounds of the requests a user's
# first minutes bring — a recorded Claude Code request (54 KB, 12 tools, answered with a streamed tool call) streamed
# and whole, short streamed and whole text answers, thinking, count_tokens — then SIGTERM, at which the JVM writes what
# it saw (NCP_CDS_TRAINING_ROUNDS rounds, default 40: the method profiles need the hot paths run often):
# - on JDK 25+ an AOT cache, lib/ncp.aot (JEP 483/514/515: the classes loaded and linked, and method profiles; the
#   JVM assembles it in a second process at exit, -XX:AOTCacheOutput);
# - on JDK 21-24 an AppCDS archive, lib/ncp.jsa (a dynamic archive on top of the JDK's default CDS).
# bin/ncp uses the one that fits its JDK when it exists. Run by `./ncpw build -Pcds` (ncp-dist's cds profile) or by
# hand: ncp-dist/src/build/cds-archive.sh ncp-dist/target/ncp
# A cache only serves the JDK build that wrote it, the jars it saw and compatible JVM options (the training run uses
# bin/ncp's own); otherwise the JVM starts without it. It only speeds start-up, so a training run that fails skips it
# with one line instead of failing the build.
set -euo pipefail
bundle=$(cd "${1:?usage: cds-archive.sh BUNDLE_DIR}" && pwd)
# The JDK bin/ncp will run (find-java.sh, as bin/ncp does), so the cache fits it.
# shellcheck source=../main/bundle/bin/find-java.sh
. "$bundle/bin/find-java.sh"
ncp_find_java "$bundle" || exit 1
if [ "$(ncp_java_major "$JAVA_HOME")" -ge 25 ]; then
  archive="$bundle/lib/ncp.aot"
  record_opts="-XX:AOTCacheOutput=$archive -Xlog:aot*=off -Xlog:cds*=off"
else
  archive="$bundle/lib/ncp.jsa"
  record_opts="-XX:ArchiveClassesAtExit=$archive -Xlog:cds*=off"
fi
tmp=$(mktemp -d)
pid=
upstream_pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  if [ -n "$upstream_pid" ]; then kill "$upstream_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
rm -f "$bundle/lib/ncp.aot" "$bundle/lib/ncp.aot.config" "$bundle/lib/ncp.jsa"
skip() { echo "cds-archive: skipped, the bundle starts without it ($1)" >&2; rm -f "$archive"; exit 0; }
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$JAVA_HOME/bin/java" "$here/TrainingUpstream.java" >"$tmp/upstream.port" 2>"$tmp/upstream.log" &
upstream_pid=$!
upstream_port=
for _ in $(seq 1 600); do
  upstream_port=$(head -n 1 "$tmp/upstream.port")
  [ -n "$upstream_port" ] && break
  kill -0 "$upstream_pid" 2>/dev/null || skip "the training upstream exited: $(tail -n 1 "$tmp/upstream.log")"
  sleep 0.05
done
[ -n "$upstream_port" ] || skip "the training upstream did not start in 30 s"
# Port 0: the proxy picks a free port and prints it in its "listening on" line.
HOME="$tmp" NCP_HOME="$tmp/.ncp" NCP_SQLITE_PATH="$tmp/ncp.db" PROXY_PORT=0 \
  NVIDIA_BASE_URL="http://127.0.0.1:$upstream_port/v1" NCP_MAX_RETRIES=0 NCP_UPSTREAM_RPM=0 \
  JAVA_OPTS="$record_opts" \
  "$bundle/bin/ncp" proxy >"$tmp/train.log" 2>&1 &
pid=$!
base=
for _ in $(seq 1 600); do
  base=$(sed -n 's/.* listening on \(http:[^ ]*\).*/\1/p' "$tmp/train.log" | head -n 1)
  [ -n "$base" ] && curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || skip "the training run exited: $(tail -n 1 "$tmp/train.log")"
  sleep 0.05
done
[ -n "$base" ] || skip "the training run did not start in 30 s"

body='{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"system":"You are a coding agent.","tools":[{"name":"Bash","description":"Run a command","input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}}],"messages":[{"role":"user","content":"List the files."}]}'
text='{"model":"claude-haiku-4-5","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Say hello."}]}'
thinking='{"model":"claude-sonnet-4-5","max_tokens":4096,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"train:thinking Plan the change."}]}'
claude_code="$here/training-claude-code.json"
sed 's/"stream":true/"stream":false/' "$claude_code" >"$tmp/claude-code-whole.json"
post() { # post PATH BODY-ARG...: one request, its answer read in full and dropped
  local path=$1; shift
  curl -sS -o /dev/null -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' "$@" "$base$path"
}
curl -fsS "$base/health" >/dev/null || skip "GET /health failed"
curl -fsS "$base/v1/models" >/dev/null || skip "GET /v1/models failed"
post /v1/messages/count_tokens -f -d "$body" || skip "count_tokens failed"
post /v1/messages -f -d "$text" || skip "a streamed answer failed"
for _ in $(seq 1 "${NCP_CDS_TRAINING_ROUNDS:-40}"); do
  post /v1/messages --data-binary "@$claude_code"
  post /v1/messages --data-binary "@$tmp/claude-code-whole.json"
  post /v1/messages -d "$text"
  post /v1/messages -d "${text/\"stream\":true/\"stream\":false}"
  post /v1/messages -d "$body"
  post /v1/messages -d "$thinking"
  post /v1/messages/count_tokens --data-binary "@$claude_code"
done
kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$archive" ] || skip "the JVM wrote no archive"

echo "cds-archive: wrote $archive ($(du -h "$archive" | cut -f1))"
