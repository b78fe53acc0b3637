package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.config.ConfigLoader;
import dev.ncp.keyfile.KeyFile;
import dev.ncp.keyfile.KeyHashing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ncp keys add|list|revoke} against the key file NCP_KEY_FILE names. */
class KeysCommandTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path home;

    private StringWriter out;
    private StringWriter err;

    private int run(Path keyFile, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        Map<String, String> env = Map.of("NCP_KEY_FILE", keyFile.toString());
        var command = new CommandLine(new KeysCommand(() -> new ConfigLoader(env, home, Optional.empty()),
                Clock.fixed(NOW, ZoneOffset.UTC)));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    @Test
    void addPrintsTheKeyOnceAndStoresOnlyItsHashWithLimitsModelsAndExpiry() throws Exception {
        Path file = home.resolve("keys.json");
        assertEquals(0, run(file, "add", "alice", "--rpm", "30", "--models", "claude-opus-4-5,qwen3",
                "--expires", "2027-01-01"), err.toString());
        var m = Pattern.compile("sk-ncp-[A-Za-z0-9_-]{43}").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        String key = m.group();

        String onDisk = Files.readString(file);
        assertFalse(onDisk.contains(key), "the key itself never reaches the disk");
        var entry = KeyFile.parse(Files.readAllBytes(file)).named("alice").orElseThrow();
        assertTrue(KeyHashing.matches(key, entry));
        assertEquals(30, entry.requestsPerMinute());
        assertEquals(java.util.List.of("claude-opus-4-5", "qwen3"), entry.models());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), entry.expiresAt().orElseThrow());

        assertEquals(0, run(file, "list"));
        String listing = out.toString();
        assertTrue(listing.contains("alice") && listing.contains("30") && listing.contains("2027-01-01T00:00:00Z")
                && listing.contains("active"), listing);
        assertFalse(listing.contains(key) || listing.contains(entry.hash()) || listing.contains(entry.salt()), listing);
        assertFalse(listing.contains("sk-ncp-"), listing);

        assertEquals(2, run(file, "add", "alice"), "names are unique");
        assertTrue(err.toString().contains("exists already"), err.toString());
    }

    @Test
    void operatorMarksOnlyThatKeyAsAnOperatorsAndListShowsIt() throws Exception {
        Path file = home.resolve("keys.json");
        assertEquals(0, run(file, "add", "ops", "--operator"), err.toString());
        assertEquals(0, run(file, "add", "dev"), err.toString());
        KeyFile keys = KeyFile.parse(Files.readAllBytes(file));
        assertTrue(keys.named("ops").orElseThrow().isOperator());
        assertFalse(keys.named("dev").orElseThrow().isOperator());
        String onDisk = Files.readString(file);
        assertEquals(1, onDisk.split("\"operator\"", -1).length - 1, "written only where true: " + onDisk);

        assertEquals(0, run(file, "list"));
        String opsLine = out.toString().lines().filter(l -> l.startsWith("ops ")).findFirst().orElseThrow();
        String devLine = out.toString().lines().filter(l -> l.startsWith("dev ")).findFirst().orElseThrow();
        assertTrue(opsLine.endsWith("active operator"), opsLine);
        assertTrue(devLine.endsWith("active"), devLine);
    }

    @Test
    void revokeMarksTheKeyAndListShowsIt() throws Exception {
        Path file = home.resolve("nested/keys.json");
        assertEquals(0, run(file, "add", "bob"));
        assertEquals(0, run(file, "revoke", "bob"));
        assertTrue(KeyFile.parse(Files.readAllBytes(file)).named("bob").orElseThrow().isRevoked());
        assertEquals(0, run(file, "list"));
        assertTrue(out.toString().contains("revoked " + NOW), out.toString());
        assertEquals(2, run(file, "revoke", "nobody"));
        assertTrue(err.toString().contains("no key named 'nobody'"), err.toString());
    }

    @Test
    void badInputIsRefusedWithAOneLineMessage() {
        Path file = home.resolve("keys.json");
        assertEquals(2, run(file, "add", "../etc"));
        assertEquals(2, run(file, "add", "carol", "--expires", "next year"));
        assertTrue(err.toString().contains("--expires"), err.toString());
        assertFalse(Files.exists(file));
    }

    @Test
    void theKeyFileComesFromTheConfigFileAndFileWorksAfterTheSubcommand() throws Exception {
        Path fromConfig = home.resolve("team/keys.json");
        Path config = Files.writeString(home.resolve("team.yaml"), "NCP_KEY_FILE: " + fromConfig + "\n");
        var command = new CommandLine(new KeysCommand(() -> new ConfigLoader(Map.of(), home, Optional.empty()),
                Clock.fixed(NOW, ZoneOffset.UTC)));
        out = new StringWriter();
        command.setOut(new PrintWriter(out, true));
        assertEquals(0, command.execute("add", "dana", "--config", config.toString()));
        assertTrue(KeyFile.parse(Files.readAllBytes(fromConfig)).named("dana").isPresent());

        Path explicit = home.resolve("other.json");
        assertEquals(0, run(home.resolve("unused.json"), "add", "erin", "--file", explicit.toString()));
        assertTrue(KeyFile.parse(Files.readAllBytes(explicit)).named("erin").isPresent());
        assertFalse(Files.exists(home.resolve("unused.json")), "--file after the subcommand wins over NCP_KEY_FILE");
    }
}
