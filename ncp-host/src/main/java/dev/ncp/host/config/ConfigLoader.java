package dev.ncp.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link Config}: defaults, then the optional YAML file, then environment variables, then CLI flags —
 * each overriding the one before. Any bad value fails at once with one line naming the variable, the value and
 * what is allowed.
 */
public final class ConfigLoader {

    private final Map<String, String> environment;
    private final Path userHome;
    private final Optional<Path> bundleHome;

    /**
     * @param environment the process environment (tests pass their own map)
     * @param userHome    the user's home directory; ncp's data lives in {@code ~/.ncp} unless {@code NCP_HOME} says otherwise
     * @param bundleHome  where the ncp bundle is installed (its {@code plugins/} is searched), if known
     */
    public ConfigLoader(Map<String, String> environment, Path userHome, Optional<Path> bundleHome) {
        this.environment = Map.copyOf(environment);
        this.userHome = userHome;
        this.bundleHome = bundleHome;
    }

    /**
     * @param configFile an explicit {@code --config} file, or empty to use {@code ~/.ncp/config.yaml} when present
     * @param flags      CLI flag values by setting name; they win over everything else
     */
    public Config load(Optional<Path> configFile, Map<String, String> flags) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                raw.put(s.name(), s.defaultValue());
            }
        }
        Path defaultHome = userHome.resolve(".ncp");
        Path fileToRead = configFile.orElse(defaultHome.resolve("config.yaml"));
        UserModels fromConfigFile = UserModels.NONE;
        if (configFile.isPresent() || Files.isRegularFile(fileToRead)) {
            JsonNode tree = readYaml(fileToRead);
            raw.putAll(scalars(tree));
            raw.putAll(routes(tree.get("routes"), fileToRead));
            fromConfigFile = UserModelsFile.sections(tree, fileToRead.toString());
        }
        environment.forEach((k, v) -> {
            if (v != null) {
                raw.put(k, v);
            }
        });
        flags.forEach((k, v) -> {
            if (v != null) {
                raw.put(k, v);
            }
        });
        return build(raw, fromConfigFile);
    }

    private Config build(Map<String, String> raw, UserModels fromConfigFile) {
        var v = new SettingValues(raw);
        Path dataDirectory = v.text(Setting.NCP_HOME).map(Path::of).orElse(userHome.resolve(".ncp"));
        return new Config(
                v.text(Setting.NVIDIA_API_KEY),
                v.url(Setting.NVIDIA_BASE_URL),
                v.upstreamProtocol(),
                v.text(Setting.PROXY_API_KEY),
                v.text(Setting.PROXY_HOST).orElseThrow(() -> v.missing(Setting.PROXY_HOST)),
                v.integer(Setting.PROXY_PORT, 0, 65_535).orElseThrow(() -> v.missing(Setting.PROXY_PORT)),
                v.storageEngine(),
                dataDirectory,
                pluginDirectories(v, dataDirectory),
                v.integer(Setting.RATE_LIMIT_RPM, 0, 1_000_000).orElse(0),
                v.integer(Setting.MAX_REQUEST_BODY_MB, 1, 1024).orElse(32) * 1024L * 1024L,
                Duration.ofSeconds(v.integer(Setting.REQUEST_TIMEOUT_SECONDS, 1, 86_400).orElse(600)),
                v.text(Setting.NCP_DEFAULT_MODEL),
                v.integer(Setting.NCP_DEFAULT_MAX_TOKENS, 1, 10_000_000),
                v.integer(Setting.NCP_HARD_MAX_TOKENS, 1, 10_000_000),
                v.list(Setting.NCP_FALLBACK_MODELS),
                Duration.ofSeconds(v.integer(Setting.R2_PING_INTERVAL, 1, 3_600).orElse(15)),
                v.integer(Setting.R2_TEXT_DELTA_CHARS, 0, 1_000_000).orElse(0),
                v.bool(Setting.R2_STREAM_VISUALIZATION),
                v.bool(Setting.R2_MESSAGE_DELTA_EVERY_BLOCK),
                v.routes(),
                fromConfigFile.then(modelsFile(v, dataDirectory)).resolved(raw::get),
                features(v),
                resilience(v),
                SecuritySettings.from(v),
                ObservabilitySettings.from(v),
                raw);
    }

    private static FeatureSettings features(SettingValues v) {
        String upstreamHost = v.url(Setting.NVIDIA_BASE_URL).getHost();
        int hostedDefault = FeatureSettings.HOSTED_CATALOG_HOST.equalsIgnoreCase(upstreamHost)
                ? FeatureSettings.HOSTED_CATALOG_RPM : 0;
        Optional<String> fallback = v.text(Setting.NCP_STORAGE_FALLBACK).map(x -> {
            if (!x.equals("memory")) {
                throw ConfigException.invalid(Setting.NCP_STORAGE_FALLBACK, x, "the only fallback is memory");
            }
            return x;
        });
        return new FeatureSettings(
                Duration.ofHours(v.integer(Setting.NCP_IDEMPOTENCY_TTL_HOURS, 1, 24 * 365).orElse(24)),
                v.integer(Setting.NCP_UPSTREAM_RPM, 0, 1_000_000).orElse(hostedDefault),
                Duration.ofSeconds(v.integer(Setting.NCP_UPSTREAM_MAX_WAIT_SECONDS, 0, 3_600).orElse(30)),
                v.integer(Setting.NCP_MAX_CONCURRENT_STREAMS, 0, 100_000).orElse(0),
                fallback,
                v.integer(Setting.NCP_IDEMPOTENCY_MAX_WAIT_MS, 0, 86_400_000).map(Duration::ofMillis));
    }

    private static Config.Resilience resilience(SettingValues v) {
        BreakerSettings.from(v); // validated here, with every other value; read again by BreakerSettings.of
        var d = Config.Resilience.defaults();
        return new Config.Resilience(
                seconds(v, Setting.NCP_CONNECT_TIMEOUT_SECONDS, 1, 3_600, d.connectTimeout()),
                seconds(v, Setting.NCP_FIRST_BYTE_TIMEOUT_SECONDS, 1, 86_400, d.firstByteTimeout()),
                seconds(v, Setting.NCP_IDLE_TIMEOUT_SECONDS, 1, 86_400, d.idleTimeout()),
                v.integer(Setting.NCP_MAX_RETRIES, 0, 10).orElse(d.maxRetries()),
                v.integer(Setting.NCP_RETRY_BACKOFF_MS, 0, 600_000).map(Duration::ofMillis).orElse(d.retryBackoff()),
                seconds(v, Setting.NCP_RETRY_MAX_WAIT_SECONDS, 0, 3_600, d.retryMaxWait()),
                v.integer(Setting.NCP_BREAKER_FAILURES, 0, 1_000).orElse(d.breakerFailures()),
                seconds(v, Setting.NCP_BREAKER_OPEN_SECONDS, 1, 86_400, d.breakerOpen()));
    }

    private static Duration seconds(SettingValues v, Setting s, int min, int max, Duration otherwise) {
        return v.integer(s, min, max).map(n -> Duration.ofSeconds(n)).orElse(otherwise);
    }

    private List<Path> pluginDirectories(SettingValues v, Path dataDirectory) {
        Optional<String> explicit = v.text(Setting.NCP_PLUGINS_DIR);
        if (explicit.isPresent()) {
            return Arrays.stream(explicit.get().split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
        }
        List<Path> dirs = new ArrayList<>();
        bundleHome.ifPresent(home -> dirs.add(home.resolve("plugins")));
        dirs.add(dataDirectory.resolve("plugins"));
        return dirs;
    }

    /** The user's models file: NCP_MODELS_FILE (which must exist), else {@code models.yaml} in the data directory. */
    private static UserModels modelsFile(SettingValues v, Path dataDirectory) {
        Optional<String> explicit = v.text(Setting.NCP_MODELS_FILE);
        Path file = explicit.map(Path::of).orElse(dataDirectory.resolve("models.yaml"));
        if (explicit.isPresent() && !Files.isRegularFile(file)) {
            throw ConfigException.invalid(Setting.NCP_MODELS_FILE, explicit.get(), "no such file; write one"
                    + " (ncp models-refresh --output FILE makes a start) or unset the variable");
        }
        return Files.isRegularFile(file) ? UserModelsFile.read(file) : UserModels.NONE;
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!tree.isObject()) {
                throw new ConfigException("Cannot read config file " + file + ": expected a mapping of settings"
                        + " (KEY: value). Fix the YAML or pass another file with --config.");
            }
            return tree;
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + firstLine(e.getMessage())
                    + ". Fix the YAML or pass another file with --config.", e);
        }
    }

    /** The file's plain {@code KEY: value} settings; sections (models, claude, routes) are read separately. */
    private static Map<String, String> scalars(JsonNode tree) {
        Map<String, String> out = new HashMap<>();
        tree.fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                out.put(f.getKey(), f.getValue().asText());
            }
        });
        return out;
    }

    /**
     * The {@code routes:} section as the settings it stands for ({@code think: X} is {@code NCP_ROUTE_THINK: X});
     * claude-code-router's camelCase names ({@code longContext}, {@code longContextThreshold}) are accepted too.
     * Environment variables still win over it.
     */
    private static Map<String, String> routes(JsonNode section, Path file) {
        Map<String, String> out = new HashMap<>();
        if (section == null || section.isNull()) {
            return out;
        }
        if (!section.isObject()) {
            throw new ConfigException(file + ": routes: expected a mapping such as {think: MODEL, background: MODEL}.");
        }
        section.fields().forEachRemaining(f -> {
            Setting setting = switch (f.getKey()) {
                case "background" -> Setting.NCP_ROUTE_BACKGROUND;
                case "think" -> Setting.NCP_ROUTE_THINK;
                case "long_context", "longContext" -> Setting.NCP_ROUTE_LONG_CONTEXT;
                case "long_context_threshold", "longContextThreshold" -> Setting.NCP_LONG_CONTEXT_THRESHOLD;
                case "image" -> Setting.NCP_ROUTE_IMAGE;
                case "subagent" -> Setting.NCP_ROUTE_SUBAGENT;
                default -> throw new ConfigException(file + ": routes." + f.getKey() + ": unknown route; routes are"
                        + " background, think, long_context, long_context_threshold, image and subagent"
                        + " (the default model is NCP_DEFAULT_MODEL; NIM has no web search).");
            };
            if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                throw new ConfigException(file + ": routes." + f.getKey() + ": expected a model name"
                        + (setting == Setting.NCP_LONG_CONTEXT_THRESHOLD ? " (here: a number of tokens)" : "")
                        + ", got " + f.getValue());
            }
            out.put(setting.name(), f.getValue().asText());
        });
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
