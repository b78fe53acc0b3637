package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where settings come from and how mistakes in them are reported: the config file's keys checked, {@code .env}
 * files, the original's names, and the source of every value ({@code ncp config show}).
 */
class ConfigSourcesTest {

    @TempDir
    Path home;
    @TempDir
    Path project;

    private Path ncpHome;

    @BeforeEach
    void dataDirectory() throws IOException {
        ncpHome = Files.createDirectories(home.resolve(".ncp"));
    }

    private ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env, home, Optional.empty(), Optional.of(project));
    }

    private Path configFile(String yaml) throws IOException {
        return Files.writeString(project.resolve("config.yaml"), yaml);
    }

    @Test
    void aTypoInTheConfigFileStopsStartupNamingTheKeyAndTheSettingItMeant() throws IOException {
        Path file = configFile("PROXY_HOST: 127.0.0.1\nPROXY_PROT: 9000\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertEquals(file + ": unknown setting PROXY_PROT (did you mean PROXY_PORT?)", e.getMessage());
    }

    @Test
    void aLowerCaseSettingNameIsSuggestedInCapitals() throws IOException {
        Path file = configFile("storage_engine: memory\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().contains("unknown setting storage_engine (did you mean STORAGE_ENGINE?)"),
                e.getMessage());
    }

    @Test
    void nestedSectionsOfTheOldExampleAreExplained() throws IOException {
        Path file = configFile("proxy:\n  host: 127.0.0.1\n  port: 8788\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().contains("unknown setting proxy (settings are top-level lines such as"
                + " PROXY_PORT: 8788"), e.getMessage());
    }

    @Test
    void aClaudeCodeRouterProvidersBlockSaysWhereItsPartsGoInNcp() throws IOException {
        Path file = configFile("""
                Providers:
                  - name: nvidia
                    api_base_url: https://integrate.api.nvidia.com/v1/chat/completions
                    api_key: nvapi-xxxxxxxxxxxxxxxx
                    models: [qwen/qwen3-coder-480b-a35b-instruct]
                """);
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": Providers: is claude-code-router's provider list"),
                e.getMessage());
        assertTrue(e.getMessage().contains("NVIDIA_BASE_URL with NVIDIA_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("upstreams: section (base_url, api_key_env)"), e.getMessage());
        assertTrue(e.getMessage().contains("models: section"), e.getMessage());
    }

    @Test
    void theConfigFileNamesUpstreamsAndAModelsDeploymentsAsTheModelsFileDoes() throws IOException {
        Path file = configFile("""
                PROXY_PORT: 8799
                upstreams:
                  nim-a: {base_url: "http://10.0.0.5:8000/v1", api_key_env: NIM_A_KEY}
                  nim-b: {base_url: "http://10.0.0.6:8000/v1", weight: 2}
                models:
                  - id: qwen/qwen3-coder-480b-a35b-instruct
                    upstreams: [nim-a, nim-b]
                """);
        Config config = loader(Map.of("NIM_A_KEY", "nvapi-nim-a-0123456789")).load(Optional.of(file), Map.of());
        assertEquals(8799, config.port());
        assertEquals(java.util.Set.of("nim-a", "nim-b"), config.userModels().upstreams().keySet());
        assertEquals(List.of("nim-a", "nim-b"),
                config.userModels().deployments().get("qwen/qwen3-coder-480b-a35b-instruct"));
    }

    @Test
    void aYamlSyntaxErrorKeepsItsLineAndColumn() throws IOException {
        Path file = configFile("PROXY_PORT: 8788\nSTORAGE_ENGINE: [memory\nRATE_LIMIT_RPM: 3\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().matches("Cannot read config file " + java.util.regex.Pattern.quote(file.toString())
                + " line \\d+, column \\d+: .+"), e.getMessage());
    }

    @Test
    void aListWhereOneValueBelongsIsRefused() throws IOException {
        Path file = configFile("NCP_FALLBACK_MODELS: [a, b]\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.of(file), Map.of()));
        assertEquals(file + ": NCP_FALLBACK_MODELS: expected a single value, got a list.", e.getMessage());
    }

    @Test
    void precedenceIsFlagsThenEnvironmentThenDotEnvThenTheConfigFileThenDefaults() throws IOException {
        Path file = configFile("PROXY_PORT: 7001\nRATE_LIMIT_RPM: 11\nR2_PING_INTERVAL: 3\nNCP_MAX_TOOLS: 50\n");
        Files.writeString(ncpHome.resolve(".env"), "RATE_LIMIT_RPM=22\nR2_PING_INTERVAL=4\n");
        Files.writeString(project.resolve(".env"), "# the project's own\nexport RATE_LIMIT_RPM=33\n"
                + "PROXY_PORT='7002'\nNCP_DEFAULT_MODEL=\"qwen/qwen3-coder-480b-a35b-instruct\" # a comment\n");
        var resolved = loader(Map.of("PROXY_PORT", "7003")).resolve(Optional.of(file), Map.of("RATE_LIMIT_RPM", "44"));

        assertEquals(new EffectiveValue("44", SettingSource.FLAG, "flag"), resolved.values().get("RATE_LIMIT_RPM"));
        assertEquals(new EffectiveValue("7003", SettingSource.ENVIRONMENT, "environment"),
                resolved.values().get("PROXY_PORT"));
        assertEquals(new EffectiveValue("4", SettingSource.DOTENV, ncpHome.resolve(".env").toString()),
                resolved.values().get("R2_PING_INTERVAL"));
        assertEquals(new EffectiveValue("qwen/qwen3-coder-480b-a35b-instruct", SettingSource.DOTENV,
                project.resolve(".env").toString()), resolved.values().get("NCP_DEFAULT_MODEL"));
        assertEquals(new EffectiveValue("50", SettingSource.FILE, file.toString()),
                resolved.values().get("NCP_MAX_TOOLS"));
        assertEquals(SettingSource.DEFAULT, resolved.values().get("STORAGE_ENGINE").source());

        Config c = loader(Map.of("PROXY_PORT", "7003")).build(resolved);
        assertEquals(7003, c.port());
        assertEquals(44, c.rateLimitRpm());
        assertEquals(java.time.Duration.ofSeconds(4), c.pingInterval());
        assertEquals(Optional.of("qwen/qwen3-coder-480b-a35b-instruct"), c.defaultModel());
    }

    @Test
    void theOriginalsDotEnvNamesAreHonouredUnderNcpsNames() throws IOException {
        Files.createDirectories(project.resolve("conf"));
        Files.writeString(project.resolve("conf/models.yaml"), "models: []\n");
        Files.writeString(project.resolve(".env"), """
                NVIDIA_API_KEY=nvapi-original-0123456789
                LOG_LEVEL=DEBUG
                MAX_RETRIES=0
                MODEL_CONFIG_PATH=conf/models.yaml
                DATABASE_URL=sqlite+aiosqlite:///./nvd_claude_proxy.db
                """);
        var resolved = loader(Map.of()).resolve(Optional.empty(), Map.of());
        Config c = loader(Map.of()).build(resolved);

        assertEquals(List.of(), resolved.warnings());
        assertEquals("debug", c.values().get("NCP_LOG_LEVEL"));
        assertEquals(0, c.resilience().maxRetries());
        assertEquals(project.resolve("conf/models.yaml").toString(), c.values().get("NCP_MODELS_FILE"));
        assertEquals(project.resolve("nvd_claude_proxy.db").toString(), c.values().get("NCP_SQLITE_PATH"));
        assertEquals(Optional.of("nvapi-original-0123456789"), c.nvidiaApiKey());
        assertEquals(SettingSource.DOTENV, resolved.values().get("NCP_MAX_RETRIES").source());
    }

    @Test
    void ncpsOwnNameWinsOverTheOriginalsInTheSameFile() throws IOException {
        Files.writeString(project.resolve(".env"), "MAX_RETRIES=0\nNCP_MAX_RETRIES=5\n");
        assertEquals(5, loader(Map.of()).load(Optional.empty(), Map.of()).resilience().maxRetries());
    }

    @Test
    void theOriginalsNamesWithoutAnEquivalentGetOneWarningLineEach() throws IOException {
        Path dotEnv = Files.writeString(project.resolve(".env"),
                "UPSTREAM_HTTP2=false\nDATABASE_URL=postgresql://app:secret@db/app\n");
        var warnings = loader(Map.of()).resolve(Optional.empty(), Map.of()).warnings();
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.contains(dotEnv + ": UPSTREAM_HTTP2 (an nvd-claude-proxy setting) has no ncp equivalent"
                + " and is ignored: ncp negotiates HTTP/2 with the upstream by itself."), warnings.toString());
        String database = warnings.stream().filter(w -> w.contains("DATABASE_URL")).findFirst().orElseThrow();
        assertTrue(database.contains("is not a SQLite file"), database);
        assertTrue(!database.contains("secret"), "a database password in a warning: " + database);
    }

    @Test
    void anUnknownNcpVariableIsAWarningWithTheClosestSetting() {
        var warnings = loader(Map.of("NCP_DEFAULT_MODLE", "x", "NCP_CLAUDE_BIN", "/bin/claude", "HOME", "/root"))
                .resolve(Optional.empty(), Map.of()).warnings();
        assertEquals(List.of("environment: NCP_DEFAULT_MODLE is not an ncp setting and is ignored (did you mean"
                + " NCP_DEFAULT_MODEL?)."), warnings);
    }

    @Test
    void aBadLogLevelStopsStartup() {
        var e = assertThrows(ConfigException.class,
                () -> loader(Map.of("NCP_LOG_LEVEL", "loud")).load(Optional.empty(), Map.of()));
        assertEquals("NCP_LOG_LEVEL=loud is not valid: expected one of trace, debug, info, warn, error, off.",
                e.getMessage());
    }

    @Test
    void aDotEnvLineThatIsNoAssignmentNamesTheFileAndLine() throws IOException {
        Path dotEnv = Files.writeString(project.resolve(".env"), "PROXY_PORT=1\nthis is not an assignment\n");
        var e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), Map.of()));
        assertEquals(dotEnv + " line 2: expected KEY=value, got: this is not an assignment", e.getMessage());
    }

    @Test
    void theExampleFileListsEverySettingAndUncommentedGivesTheDefaults() throws IOException {
        String example = ConfigExample.render();
        for (Setting s : Setting.values()) {
            assertTrue(example.contains("\n# " + s.name() + ":"), s + " missing from the example");
        }
        String uncommented = example.lines().filter(l -> l.matches("# [A-Z0-9_]+:.*")).map(l -> l.substring(2))
                .reduce("", (a, b) -> a + b + "\n");
        Path file = configFile(uncommented);
        var fromExample = loader(Map.of()).resolve(Optional.of(file), Map.of());
        var defaults = loader(Map.of()).resolve(Optional.empty(), Map.of());
        assertEquals(defaults.raw(), fromExample.raw());
        assertEquals(loader(Map.of()).build(defaults).toString(), loader(Map.of()).build(fromExample).toString());
    }

    @Test
    void closestNameToleratesATypoButNotAnotherWord() {
        assertEquals(Optional.of("PROXY_PORT"), ClosestName.among("PROXY_PROT", List.of("PROXY_HOST", "PROXY_PORT")));
        assertEquals(Optional.empty(), ClosestName.among("COLOUR", List.of("PROXY_HOST", "PROXY_PORT")));
    }
}
