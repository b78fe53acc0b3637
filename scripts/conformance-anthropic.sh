#!/usr/bin/env bash
# Smoke conformance check of a live Anthropic Messages API endpoint — ncp, or anything that claims to be one:
#
#   ANTHROPIC_BASE_URL=http://127.0.0.1:8788 scripts/conformance-anthropic.sh
#
# Checks the models list, count_tokens, a plain and a streamed message, a tool round trip and the error shape; prints
# one ✓/✗ line each and exits 0 when all pass, 1 otherwise. Needs only bash, curl, grep and sed (no jq).
#
#   ANTHROPIC_BASE_URL     the endpoint (default http://127.0.0.1:8788)
#   ANTHROPIC_AUTH_TOKEN   credential, sent as x-api-key and as a Bearer token (else ANTHROPIC_API_KEY, else "ncp")
#   CONFORMANCE_MODEL      model to ask (default claude-sonnet-4-6, which ncp maps to its sonnet target)
#   CONFORMANCE_TIMEOUT    seconds allowed per request (default 120: real models can be slow)
set -uo pipefail

base=${ANTHROPIC_BASE_URL:-http://127.0.0.1:8788}
base=${base%/}
key=${ANTHROPIC_AUTH_TOKEN:-${ANTHROPIC_API_KEY:-ncp}}
model=${CONFORMANCE_MODEL:-claude-sonnet-4-6}
timeout=${CONFORMANCE_TIMEOUT:-120}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

pass() { echo "✓ $1"; passed=$((passed + 1)); }
fail() { echo "✗ $1 — $2"; failed=$((failed + 1)); }

# call METHOD PATH [JSON]: the answer's body goes to $tmp/body, its headers to $tmp/headers; prints the status
# (000 when nothing answered, with curl's reason in $tmp/curl-error).
call() {
  local args=(-sS -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --max-time "$timeout" -X "$1"
    -H "x-api-key: $key" -H "authorization: Bearer $key" -H "anthropic-version: 2023-06-01")
  if [ $# -ge 3 ]; then args+=(-H "content-type: application/json" --data-binary "$3"); fi
  : >"$tmp/body"
  curl "${args[@]}" "$base$2" 2>"$tmp/curl-error" || true
}

# has REGEX: whether the last answer's body matches (JSON may be compact or spaced).
has() { grep -Eq "$1" "$tmp/body"; }

# why STATUS: a short reason for a failed check, from the status and the start of the body.
why() {
  if [ "$1" = 000 ]; then
    echo "no answer: $(head -c 200 "$tmp/curl-error")"
  else
    echo "HTTP $1: $(tr -d '\n\r' <"$tmp/body" | head -c 200)"
  fi
}

echo "Anthropic Messages API conformance: $base (model $model)"

# 1. GET /v1/models: a list with at least one model.
status=$(call GET /v1/models)
if [ "$status" = 200 ] && has '"data" *: *\[' && has '"id" *: *"'; then
  pass "GET /v1/models lists $(grep -Eo '"type" *: *"model"' "$tmp/body" | wc -l | tr -d ' ') models"
else
  fail "GET /v1/models" "$(why "$status")"
fi

# 2. count_tokens: a positive input_tokens.
status=$(call POST /v1/messages/count_tokens \
  '{"model":"'"$model"'","messages":[{"role":"user","content":"Hello, world"}]}')
if [ "$status" = 200 ] && has '"input_tokens" *: *[1-9]'; then
  pass "POST /v1/messages/count_tokens counts $(grep -Eo '"input_tokens" *: *[0-9]+' "$tmp/body" | grep -Eo '[0-9]+$') tokens"
else
  fail "POST /v1/messages/count_tokens" "$(why "$status")"
fi

# 3. A plain message: one assistant message with a text block and a stop reason.
status=$(call POST /v1/messages \
  '{"model":"'"$model"'","max_tokens":256,"messages":[{"role":"user","content":"Reply with the single word: pong"}]}')
if [ "$status" = 200 ] && has '"type" *: *"message"' && has '"role" *: *"assistant"' && has '"type" *: *"text"' \
  && has '"stop_reason" *: *"(end_turn|max_tokens|stop_sequence)"'; then
  pass "POST /v1/messages answers with a text message"
else
  fail "POST /v1/messages (plain)" "$(why "$status")"
fi

# 4. A streamed message: text/event-stream with Anthropic's event grammar, from message_start to message_stop.
status=$(call POST /v1/messages \
  '{"model":"'"$model"'","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Count from 1 to 5."}]}')
events=$(grep -E '^event:' "$tmp/body" | sed -E 's/^event: *//' | tr -d '\r' | grep -v '^ping$' | tr '\n' ' ')
if [ "$status" = 200 ] && grep -qi '^content-type: *text/event-stream' "$tmp/headers" \
  && [[ $events == "message_start content_block_start content_block_delta "* ]] \
  && [[ $events == *" content_block_stop message_delta message_stop " ]] && [[ $events != *error* ]]; then
  pass "POST /v1/messages streams message_start … message_stop ($(echo "$events" | wc -w | tr -d ' ') events)"
else
  fail "POST /v1/messages (stream)" "$(if [ "$status" = 200 ]; then echo "events: $events"; else why "$status"; fi)"
fi

# 5. A tool round trip: the forced tool call comes back as tool_use, and its tool_result gets a text answer.
tools='"tools":[{"name":"get_weather","description":"Current weather of a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]'
question='{"role":"user","content":"What is the weather in Paris? Use the tool."}'
status=$(call POST /v1/messages '{"model":"'"$model"'","max_tokens":512,'"$tools"',"tool_choice":{"type":"tool","name":"get_weather"},"messages":['"$question"']}')
tool_id=$(grep -Eo '"id" *: *"toolu_[A-Za-z0-9_-]+"' "$tmp/body" | head -n 1 | sed -E 's/.*"(toolu_[^"]+)"$/\1/')
if [ "$status" != 200 ] || ! has '"type" *: *"tool_use"' || ! has '"stop_reason" *: *"tool_use"' || [ -z "$tool_id" ]; then
  fail "tool round trip" "no tool_use with a toolu_ id and stop_reason tool_use: $(why "$status")"
else
  status=$(call POST /v1/messages '{"model":"'"$model"'","max_tokens":512,'"$tools"',"messages":['"$question"',
    {"role":"assistant","content":[{"type":"tool_use","id":"'"$tool_id"'","name":"get_weather","input":{"city":"Paris"}}]},
    {"role":"user","content":[{"type":"tool_result","tool_use_id":"'"$tool_id"'","content":"18 °C and sunny"}]}]}')
  if [ "$status" = 200 ] && has '"type" *: *"text"' && has '"stop_reason" *: *"(end_turn|max_tokens|stop_sequence)"'; then
    pass "tool round trip: tool_use $tool_id, then a text answer to its tool_result"
  else
    fail "tool round trip" "the answer to the tool_result: $(why "$status")"
  fi
fi

# 6. The error shape: a malformed request gets a 400 {"type":"error","error":{"type":"invalid_request_error",...}}.
status=$(call POST /v1/messages '{"model":"'"$model"'","max_tokens":16,"messages":"not a list"}')
if [ "$status" = 400 ] && has '"type" *: *"error"' && has '"type" *: *"invalid_request_error"' && has '"message" *: *"'; then
  pass "a malformed request gets a 400 invalid_request_error in Anthropic's error shape"
else
  fail "error shape" "expected 400 invalid_request_error, got $(why "$status")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
