package dev.ncp.host.config;

/**
 * Every setting ncp reads, by its environment-variable name (the original's names), with its default and a one-line
 * description. The single source for parsing, the startup diagnostics and docs/configuration.md.
 */
public enum Setting {
    NVIDIA_API_KEY(null, true, "Your NVIDIA API key (nvapi-...), sent upstream as a Bearer token."),
    NVIDIA_BASE_URL("https://integrate.api.nvidia.com/v1", false, "Base URL of the OpenAI-compatible upstream."),
    NCP_UPSTREAM_PROTOCOL("openai", false, "What the upstream speaks: openai (translate) or anthropic (pass through)."),
    PROXY_API_KEY(null, true, "When set, every endpoint requires this key (x-api-key or Authorization: Bearer)."),
    PROXY_HOST("127.0.0.1", false, "Address to bind. Loopback by default."),
    PROXY_PORT("8788", false, "Port to listen on (1-65535)."),
    STORAGE_ENGINE("sqlite", false, "Storage backend: memory, sqlite or redis (or one a plugin adds)."),
    REDIS_URL(null, true, "Redis URL when STORAGE_ENGINE=redis, e.g. redis://127.0.0.1:6379/0."),
    REDIS_PASSWORD(null, true, "Redis password; replaces one given in REDIS_URL."),
    REDIS_PREFIX("ncp:", false, "Prefix of every key ncp writes to Redis."),
    REDIS_TIMEOUT_MS("2000", false, "Redis connect and command timeout in milliseconds."),
    NCP_SQLITE_PATH(null, false, "SQLite database file (default ~/.ncp/ncp.db)."),
    NCP_HOME(null, false, "ncp's data directory (default ~/.ncp)."),
    NCP_PLUGINS_DIR(null, false, "Plugin directories, separated by ':' (default: the bundle's plugins/ and ~/.ncp/plugins)."),
    RATE_LIMIT_RPM("0", false, "Global request limit per minute; 0 disables it."),
    MAX_REQUEST_BODY_MB("32", false, "Largest accepted request body in MB."),
    REQUEST_TIMEOUT_SECONDS("600", false, "Total deadline of one upstream call in seconds."),
    NCP_DEFAULT_MODEL(null, false, "Upstream model for requests whose model name maps to nothing else."),
    NCP_DEFAULT_MAX_TOKENS(null, false, "max_tokens used when a client omits it."),
    NCP_HARD_MAX_TOKENS(null, false, "Upper bound applied to every client's max_tokens."),
    NCP_FALLBACK_MODELS(null, false, "Comma-separated upstream models tried when the chosen one fails."),
    R2_PING_INTERVAL("15", false, "Seconds of upstream silence before a ping event is sent to the client."),
    R2_TEXT_DELTA_CHARS("0", false, "Largest text/thinking delta in characters; 0 sends deltas as upstream does."),
    R2_STREAM_VISUALIZATION("false", false, "Add ncp_visualization side-channel events to SSE streams."),
    R2_MESSAGE_DELTA_EVERY_BLOCK("false", false, "Send a usage message_delta after every content block."),
    NCP_LOG_FORMAT("plain", false, "Access log lines (logger ncp.access): plain key=value text or json."),
    NCP_VISUALIZATION_BUFFER("1000", false, "Events a visualization subscriber may lag behind before its events are dropped.");

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
