package dev.ncp.host.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ncp.host.config.UserModels;
import dev.ncp.host.config.UserModelsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The YAML config file ({@code ~/.ncp/config.yaml} or {@code --config}): top-level {@code SETTING: value} lines and
 * the {@code models:}, {@code claude:}, {@code routes:} and {@code upstreams:} sections. A key ncp does not read stops
 * start-up, naming the key and the setting it most likely meant: a typo silently ignored would leave a setting at its
 * default.
 *
 * @param settings the file's settings by name (the original's names already translated)
 * @param sections the user models of its {@code models:}, {@code claude:} and {@code upstreams:} sections
 */
record ConfigFile(Map<String, String> settings, UserModels sections) {

    /** The sections a config file may hold besides settings. */
    static final Set<String> SECTIONS = Set.of("models", "claude", "routes", "upstreams");

    /** claude-code-router's config keys, and where the same wish goes in ncp. */
    private static final Map<String, String> CLAUDE_CODE_ROUTER = Map.of(
            "Providers", "Providers: is claude-code-router's provider list; ncp's default upstream is NVIDIA_BASE_URL"
                    + " with NVIDIA_API_KEY, other endpoints go in an upstreams: section (base_url, api_key_env) and"
                    + " its models in a models: section (docs/configuration.md, \"Upstreams\")",
            "Router", "Router: is claude-code-router's; ncp's scenario routes are a routes: section (background, "
                    + "think, long_context, long_context_threshold, image, subagent) of model names, without the "
                    + "'provider,' part",
            "APIKEY", "APIKEY is claude-code-router's; ncp's is PROXY_API_KEY",
            "HOST", "HOST is claude-code-router's; ncp's is PROXY_HOST",
            "PORT", "PORT is claude-code-router's; ncp's is PROXY_PORT",
            "API_TIMEOUT_MS", "API_TIMEOUT_MS is claude-code-router's; ncp's is REQUEST_TIMEOUT_SECONDS",
            "transformers", "transformers: is claude-code-router's; ncp's per-model quirks are model plugins "
                    + "(docs/plugins.md) and a models: entry's sampling");

    static ConfigFile read(Path file, List<String> warnings) {
        JsonNode tree = readYaml(file);
        checkKeys(tree, file);
        Map<String, String> scalars = new LinkedHashMap<>();
        tree.fields().forEachRemaining(f -> {
            if (!SECTIONS.contains(f.getKey()) && !f.getValue().isNull()) {
                if (!f.getValue().isValueNode()) {
                    throw new ConfigException(file + ": " + f.getKey() + ": expected a single value, got "
                            + (f.getValue().isArray() ? "a list" : "a mapping") + ".");
                }
                scalars.put(f.getKey(), f.getValue().asText());
            }
        });
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("."));
        Map<String, String> settings = OriginalNames.translate(scalars, base, file.toString(), warnings);
        settings.putAll(routes(tree.get("routes"), file));
        return new ConfigFile(settings, UserModelsFile.sections(tree, file.toString()));
    }

    /** Every name a config file's top level may use. */
    static Set<String> knownKeys() {
        Set<String> known = new TreeSet<>(SECTIONS);
        Arrays.stream(Setting.values()).map(Setting::name).forEach(known::add);
        known.addAll(OriginalNames.names());
        return known;
    }

    private static void checkKeys(JsonNode tree, Path file) {
        Set<String> known = knownKeys();
        tree.fieldNames().forEachRemaining(key -> {
            if (known.contains(key)) {
                return;
            }
            String ccr = CLAUDE_CODE_ROUTER.get(key);
            if (ccr != null) {
                throw new ConfigException(file + ": " + ccr + ". ncp config check validates a file without starting.");
            }
            Set<String> settings = new TreeSet<>(known);
            settings.removeAll(OriginalNames.names());
            String hint = ClosestName.among(key, settings).map(s -> "did you mean " + s + "?")
                    .orElse(tree.get(key).isObject()
                            ? "settings are top-level lines such as PROXY_PORT: 8788, not nested sections"
                            : "ncp config show lists every setting");
            throw new ConfigException(file + ": unknown setting " + key + " (" + hint + ")");
        });
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
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? ""
                    : " line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("Cannot read config file " + file + where + ": "
                    + firstLine(e.getOriginalMessage()) + ". Fix the YAML or pass another file with --config.", e);
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + firstLine(e.getMessage())
                    + ". Fix the YAML or pass another file with --config.", e);
        }
    }

    /**
     * The {@code routes:} section as the settings it stands for ({@code think: X} is {@code NCP_ROUTE_THINK: X});
     * claude-code-router's camelCase names ({@code longContext}, {@code longContextThreshold}) are accepted too.
     * Environment variables still win over it.
     */
    private static Map<String, String> routes(JsonNode section, Path file) {
        Map<String, String> out = new LinkedHashMap<>();
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
