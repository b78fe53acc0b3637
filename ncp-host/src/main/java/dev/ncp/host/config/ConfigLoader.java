package dev.ncp.host.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link Config}: defaults, then the optional YAML file, then {@code .env} files, then environment
 * variables, then CLI flags — each overriding the one before.
 * Any bad value fails at once with one line naming the variable, the value and
 * what is allowed.
 */
public final class ConfigLoader {

    private final Map<String, String> environment;
    private final Path userHome;
    private final Optional<Path> bundleHome;
    private final Optional<Path> workingDirectory;
    private final boolean upstreamKeysOptional;

    /** {@code NCP_*} variables that are read, but not as settings (by bin/ncp, or to find Claude Code). */
    private static final java.util.Set<String> NOT_SETTINGS = java.util.Set.of("NCP_CLAUDE_BIN", "NCP_JVM_DIR");

    /**
     * @param environment the process environment (tests pass their own map)
     * @param userHome    the user's home directory; ncp's data lives in {@code ~/.ncp} unless {@code NCP_HOME} says otherwise
     * @param bundleHome  where the ncp bundle is installed (its {@code plugins/} is searched), if known
     */
    public ConfigLoader(Map<String, String> environment, Path userHome, Optional<Path> bundleHome) {
        this(environment, userHome, bundleHome, Optional.empty());
    }

    /**
     * @param workingDirectory where a {@code .env} is looked for besides {@code ~/.ncp/.env} (the CLI's working
     *                         directory; empty for embedders and tests that want none)
     */
    public ConfigLoader(Map<String, String> environment, Path userHome, Optional<Path> bundleHome,
                        Optional<Path> workingDirectory) {
        this(environment, userHome, bundleHome, workingDirectory, false);
    }

    private ConfigLoader(Map<String, String> environment, Path userHome, Optional<Path> bundleHome,
                         Optional<Path> workingDirectory, boolean upstreamKeysOptional) {
        this.environment = Map.copyOf(environment);
        this.userHome = userHome;
        this.bundleHome = bundleHome;
        this.workingDirectory = workingDirectory;
        this.upstreamKeysOptional = upstreamKeysOptional;
    }

    /**
     * This loader, but a named upstream whose {@code api_key_env} variable is unset is loaded without its key
     * ({@link UpstreamDefinition#keyMissing()}) instead of stopping the load: {@code ncp doctor} reports it as that
     * upstream's finding, beside every other check, rather than as the one line a failed load gives.
     */
    public ConfigLoader lettingUpstreamKeysBeMissing() {
        return new ConfigLoader(environment, userHome, bundleHome, workingDirectory, true);
    }

    /**
     * @param configFile an explicit {@code --config} file, or empty to use {@code ~/.ncp/config.yaml} when present
     * @param flags      CLI flag values by setting name; they win over everything else
     */
    public Config load(Optional<Path> configFile, Map<String, String> flags) {
        return build(resolve(configFile, flags));
    }

    /**
     * Adds the sources up, lowest first: defaults, the config file, {@code ~/.ncp/.env}, the working directory's
     * {@code .env}, the environment, the flags. Nothing is typed or validated yet but the config file's keys.
     */
    public ResolvedSettings resolve(Optional<Path> configFile, Map<String, String> flags) {
        Map<String, EffectiveValue> values = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                values.put(s.name(), new EffectiveValue(s.defaultValue(), SettingSource.DEFAULT, "default"));
            }
        }
        Path defaultHome = userHome.resolve(".ncp");
        Path fileToRead = configFile.orElse(defaultHome.resolve("config.yaml"));
        UserModels fromConfigFile = UserModels.NONE;
        if (configFile.isPresent() || Files.isRegularFile(fileToRead)) {
            ConfigFile file = ConfigFile.read(fileToRead, warnings);
            put(values, file.settings(), SettingSource.FILE, fileToRead.toString());
            fromConfigFile = file.sections();
        }
        List<Path> dotEnvs = new ArrayList<>(List.of(defaultHome.resolve(".env")));
        workingDirectory.map(d -> d.resolve(".env")).filter(f -> !dotEnvs.contains(f)).ifPresent(dotEnvs::add);
        for (Path dotEnv : dotEnvs) {
            if (Files.isRegularFile(dotEnv)) {
                Path base = dotEnv.toAbsolutePath().getParent();
                Map<String, String> read = OriginalNames.translate(DotEnvFile.read(dotEnv), base, dotEnv.toString(),
                        warnings);
                warnUnknownNcpNames(read.keySet(), dotEnv.toString(), warnings);
                put(values, read, SettingSource.DOTENV, dotEnv.toString());
            }
        }
        warnUnknownNcpNames(environment.keySet(), "environment", warnings);
        put(values, environment, SettingSource.ENVIRONMENT, "environment");
        put(values, flags, SettingSource.FLAG, "flag");
        return new ResolvedSettings(values, fromConfigFile, warnings);
    }

    /** Builds the typed configuration; fails on the first value that cannot be used. */
    public Config build(ResolvedSettings resolved) {
        return build(resolved.raw(), resolved.fromConfigFile());
    }

    private static void put(Map<String, EffectiveValue> values, Map<String, String> layer, SettingSource source,
                            String origin) {
        layer.forEach((k, v) -> {
            if (v != null) {
                values.put(k, new EffectiveValue(v, source, origin));
            }
        });
    }

    /**
     * {@code NCP_*} names ncp does not know: a typo ({@code NCP_DEFAULT_MODLE}) would otherwise leave a setting at
     * its default without a word. One line each, with the closest setting.
     */
    private static void warnUnknownNcpNames(java.util.Collection<String> names, String where, List<String> warnings) {
        List<String> known = Arrays.stream(Setting.values()).map(Setting::name).toList();
        names.stream().filter(n -> n.startsWith("NCP_") && !known.contains(n) && !NOT_SETTINGS.contains(n)).sorted()
                .forEach(n -> warnings.add(where + ": " + n + " is not an ncp setting and is ignored"
                        + ClosestName.among(n, known).map(s -> " (did you mean " + s + "?)").orElse("") + "."));
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
                fromConfigFile.then(modelsFile(v, dataDirectory)).resolved(raw::get, upstreamKeysOptional),
                features(v),
                resilience(v),
                SecuritySettings.from(v),
                ObservabilitySettings.from(v),
                GuardSettings.from(v),
                validated(v, raw));
    }

    /** Settings only the CLI reads (from {@link Config#values()}) are checked here, with the rest. */
    private static Map<String, String> validated(SettingValues v, Map<String, String> raw) {
        v.choice(Setting.NCP_LOG_LEVEL, List.of("trace", "debug", "info", "warn", "error", "off"));
        v.integer(Setting.NCP_SHUTDOWN_TIMEOUT_SECONDS, 0, 3_600);
        return raw;
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
                seconds(v, Setting.NCP_RETRY_MAX_WAIT_SECONDS, 0, 3_600, d.retryMaxWait()));
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
}
