package dev.ncp.host.config;

/**
 * Every setting ncp reads, by its environment-variable name (the original's names), with its default and a one-line
 * description. The single source for parsing, the startup diagnostics and docs/configuration.md.
 */
public enum Setting {
    NVIDIA_API_KEY(null, true, "Your NVIDIA API key (nvapi-...), sent upstream as a Bearer token."),
    NVIDIA_BASE_URL("https://integrate.api.nvidia.com/v1", false, "Base URL of the OpenAI-compatible upstream."),
    NCP_UPSTREAM_PROTOCOL("openai", false, "What the upstream speaks: openai (translate) or anthropic (pass through)."),
    PROXY_API_KEY(null, true, "When set, every endpoint but the probes requires this key (x-api-key, api-key, x-claude-api-key or Authorization: Bearer)."),
    PROXY_HOST("127.0.0.1", false, "Address to bind. Loopback by default."),
    PROXY_PORT("8788", false, "Port to listen on (0-65535; 0 picks a free one)."),
    STORAGE_ENGINE("sqlite", false, "Storage backend: memory, sqlite or redis (or one a plugin adds)."),
    REDIS_URL(null, true, "Redis URL when STORAGE_ENGINE=redis, e.g. redis://127.0.0.1:6379/0."),
    REDIS_MODE("standalone", false, "standalone, sentinel (REDIS_URL lists the Sentinels) or cluster (some nodes)."),
    REDIS_SENTINEL_MASTER("mymaster", false, "The primary's name at the Sentinels, with REDIS_MODE=sentinel."),
    REDIS_TLS_CA_FILE(null, false, "PEM file of the CAs trusted for rediss:// (default: the JDK's)."),
    REDIS_PASSWORD(null, true, "Redis password; replaces one given in REDIS_URL."),
    REDIS_PREFIX("ncp:", false, "Prefix of every key ncp writes to Redis."),
    REDIS_TIMEOUT_MS("2000", false, "Redis connect and command timeout in milliseconds."),
    NCP_STORAGE_FALLBACK(null, false, "memory: start on the memory engine when the configured one cannot open."),
    NCP_SQLITE_PATH(null, false, "SQLite database file (default ~/.ncp/ncp.db)."),
    NCP_HOME(null, false, "ncp's data directory (default ~/.ncp)."),
    NCP_PLUGINS_DIR(null, false, "Plugin directories, separated by ':' (default: the bundle's plugins/ and ~/.ncp/plugins)."),
    RATE_LIMIT_RPM("0", false, "Global request limit per minute; 0 disables it."),
    NCP_UPSTREAM_RPM(null, false, "Requests per minute to the default upstream (NVIDIA_BASE_URL); 40 on integrate.api.nvidia.com, else 0 (off)."),
    NCP_UPSTREAM_MAX_WAIT_SECONDS("30", false, "Longest a request waits for the upstream limits before a 429."),
    NCP_MAX_CONCURRENT_STREAMS("0", false, "Most answers in flight at once to the default upstream, across instances; 0 = no cap."),
    NCP_IDEMPOTENCY_TTL_HOURS("24", false, "How long an answer stays replayable under its idempotency key."),
    NCP_IDEMPOTENCY_MAX_WAIT_MS(null, false,
            "Longest a duplicate waits for the first request with its key before a 409; default: request timeout + upstream wait + 30 s."),
    MAX_REQUEST_BODY_MB("32", false, "Largest accepted request body in MB."),
    REQUEST_TIMEOUT_SECONDS("600", false, "Total deadline of one upstream call in seconds."),
    NCP_DEFAULT_MODEL(null, false, "Upstream model for every Claude name (all families) and for names that map to"
            + " nothing else; aliases and NIM ids still go where they name."),
    NCP_DEFAULT_MAX_TOKENS(null, false, "max_tokens used when a client omits it."),
    NCP_HARD_MAX_TOKENS(null, false, "Upper bound applied to every client's max_tokens."),
    NCP_FALLBACK_MODELS(null, false, "Comma-separated upstream models tried when the chosen one fails."),
    NCP_MODELS_FILE(null, false, "The user's model registry file (default ~/.ncp/models.yaml when present)."),
    NCP_ROUTE_BACKGROUND(null, false, "Model for haiku-class (background) requests; unset = no background route."),
    NCP_ROUTE_THINK(null, false, "Model for requests with thinking enabled or adaptive; unset = no think route."),
    NCP_ROUTE_LONG_CONTEXT(null, false, "Model for requests over NCP_LONG_CONTEXT_THRESHOLD input tokens."),
    NCP_LONG_CONTEXT_THRESHOLD("60000", false, "Estimated input tokens above which the long-context route applies."),
    NCP_ROUTE_IMAGE("claude-llama4-maverick", false,
            "Vision model for requests with images when the chosen model has no vision; off disables."),
    NCP_ROUTE_SUBAGENT(null, false, "Model for Claude Code subagent requests (x-claude-code-agent-id)."),
    NCP_CONNECT_TIMEOUT_SECONDS("10", false, "Deadline for connecting to the upstream (TCP + TLS) in seconds."),
    NCP_FIRST_BYTE_TIMEOUT_SECONDS("300", false, "Deadline for the upstream's first byte (headers, then body) in seconds."),
    NCP_IDLE_TIMEOUT_SECONDS("300", false, "Longest upstream silence between chunks, in seconds, before the answer is abandoned."),
    NCP_MAX_RETRIES("2", false, "Retries of one upstream model on a transient failure before anything reached the client."),
    NCP_RETRY_BACKOFF_MS("1000", false, "First retry's backoff in milliseconds; doubles per retry, with jitter."),
    NCP_RETRY_MAX_WAIT_SECONDS("10", false, "Longest wait before a retry; a longer Retry-After skips to the next model."),
    NCP_BREAKER_FAILURES("8", false, "Counted failures in a row that open a deployment's circuit breaker at once; 0 disables breakers."),
    NCP_BREAKER_FAILURE_RATE("50", false, "Failure share in percent, over the window, that opens a deployment's breaker."),
    NCP_BREAKER_MIN_CALLS("20", false, "Calls a breaker's window needs before its failure rate counts."),
    NCP_BREAKER_WINDOW_SECONDS("30", false, "The window, in seconds, a breaker's failure rate is counted over."),
    NCP_BREAKER_OPEN_SECONDS("30", false, "First open period of a breaker before one probe call (half-open); doubles per failed probe."),
    NCP_BREAKER_MAX_OPEN_SECONDS("300", false, "Longest open period of a breaker that keeps failing its probes."),
    NCP_BREAKER_PANIC_PERCENT("10", false, "Share of requests still sent, as probes, when every candidate's breaker is open; 0 refuses all."),
    R2_PING_INTERVAL("15", false, "Seconds of upstream silence before a ping event is sent to the client."),
    R2_TEXT_DELTA_CHARS("0", false, "Largest text/thinking delta in characters; 0 sends deltas as upstream does."),
    R2_STREAM_VISUALIZATION("false", false, "Add ncp_visualization side-channel events to SSE streams."),
    R2_MESSAGE_DELTA_EVERY_BLOCK("false", false, "Send a usage message_delta after every content block."),
    NCP_LOG_LEVEL("info", false, "Log level of ncp's own log: trace, debug, info, warn, error or off (LOG_LEVEL in a .env)."),
    NCP_SHUTDOWN_TIMEOUT_SECONDS("30", false, "On stop (SIGTERM, ncp stop), how long answers in flight may take to finish."),
    NCP_LOG_FORMAT("plain", false, "Access log lines (logger ncp.access): plain key=value text or json."),
    NCP_VISUALIZATION_BUFFER("1000", false, "Events a visualization subscriber may lag behind before its events are dropped."),
    NCP_USAGE_RETENTION_DAYS("30", false, "How long usage records (GET /v1/ncp/usage, ncp usage) are kept, in days."),
    NCP_KEY_FILE(null, false, "Key file of the auth-keyfile plugin (default ~/.ncp/keys.json), managed with ncp keys."),
    NCP_KEY_PASSTHROUGH("false", false, "true: a client's own nvapi- key (x-api-key or Bearer) is used upstream for its requests."),
    NCP_CORS_ORIGINS(null, false, "Comma-separated browser origins allowed to call ncp (CORS headers); unset = none."),
    NCP_MAX_JSON_DEPTH("100", false, "Deepest JSON nesting accepted in a request body."),
    NCP_MAX_TOOLS("1000", false, "Most tools one request may define."),
    NCP_MAX_HEADER_KB("16", false, "Largest request header block in KB; larger gets 431."),
    NCP_CLIENT_IDLE_TIMEOUT_SECONDS("30", false, "Seconds a client connection may stay silent (e.g. a stalled body) before it is closed."),
    NCP_CLIENT_BODY_TIMEOUT_SECONDS("60", false, "Seconds a request body may take to arrive in full; a slower one (slowloris) gets 408."),
    NCP_GUARD_ARGS_REPAIR("true", false, "Repair broken tool-call arguments (trailing commas, fences, missing"
            + " braces...) and type scalars by the tool's schema."),
    NCP_GUARD_TOOL_NAMES("true", false, "A call to an undeclared tool name that matches one declared tool but for"
            + " case or -/_ goes to that tool."),
    NCP_GUARD_TEXT_CALLS("true", false, "Tool calls written as text (Hermes, Nemotron, Llama, Mistral, DeepSeek DSML)"
            + " become tool_use blocks."),
    NCP_GUARD_LOOP_NOTE("true", false, "Add a note for the model when its last three turns made the same tool call"
            + " with the same result.");

    private final String defaultValue;
    private final boolean secret;
    private final String description;

    Setting(String defaultValue, boolean secret, String description) {
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
    }

    /** The default as written in the environment, or null when the setting is unset by default. */
    public String defaultValue() {
        return defaultValue;
    }

    /** Whether the value must be masked wherever it is shown. */
    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }
}
