package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ConfigLoader;
import dev.ncp.host.config.Setting;
import dev.ncp.keyfile.KeyEntry;
import dev.ncp.keyfile.KeyFile;
import dev.ncp.keyfile.KeyHashing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ncp keys add|list|revoke}: manages the key file the auth-keyfile plugin reads ({@code NCP_KEY_FILE},
 * default {@code ~/.ncp/keys.json}). A running ncp picks changes up within a second. Only hashes reach the disk;
 * a new key is printed once, by {@code add}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage the named keys of the key file (auth-keyfile plugin).",
        subcommands = {KeysCommand.Add.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
        footerHeading = "%nExample:%n", footer = "  ncp keys add alice --rpm 60 --expires 2027-01-01")
final class KeysCommand implements Runnable {

    // Inherited: `ncp keys list --file F` works as `ncp keys --file F list` does.
    @Option(names = "--file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Key file (default: NCP_KEY_FILE, else ~/.ncp/keys.json).")
    Path file;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "YAML config file whose NCP_KEY_FILE / NCP_HOME apply (default ~/.ncp/config.yaml).")
    Path configFile;

    @Spec
    CommandSpec spec;

    private final Supplier<ConfigLoader> loader;
    private final Clock clock;

    KeysCommand() {
        this(ConfigOptions::loader, Clock.systemUTC());
    }

    /** For tests: configuration from a given environment and home, and a fixed clock. */
    KeysCommand(Supplier<ConfigLoader> loader, Clock clock) {
        this.loader = loader;
        this.clock = clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Path keyFile() {
        if (file != null) {
            return file;
        }
        Config config = loader.get().load(Optional.ofNullable(configFile), Map.of());
        return Optional.ofNullable(config.values().get(Setting.NCP_KEY_FILE.name())).filter(v -> !v.isBlank())
                .map(Path::of).orElse(config.dataDirectory().resolve("keys.json"));
    }

    /** Runs {@code action} on the key file, turning the expected failures into a one-line message and exit code. */
    private int edit(Action action) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return action.run(keyFile(), spec.commandLine().getOut(), err);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("ncp keys: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("ncp keys: cannot use the key file: " + e.getMessage());
            return 1;
        }
    }

    private interface Action {
        int run(Path file, PrintWriter out, PrintWriter err) throws IOException;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Issue a new named key; prints it once.",
            footerHeading = "%nExample:%n", footer = "  ncp keys add ci-bot --models claude-qwen3-coder --operator")
    static final class Add implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "Who the key is for (letters, digits, . _ @ -).")
        String name;

        @Option(names = "--rpm", paramLabel = "N",
                description = "This key's requests per minute (default: only the global limit).")
        Integer rpm;

        @Option(names = "--models", split = ",", description = "Models this key may use, comma-separated (default: all).")
        List<String> models;

        @Option(names = "--expires", paramLabel = "DATE",
                description = "Date (YYYY-MM-DD, UTC midnight) or instant after which it is refused (default: never).")
        String expires;

        @Option(names = "--operator", description = "The key runs the proxy: it sees every key's traffic on the "
                + "dashboard, /metrics and /health's details (default: only its own requests and sessions).")
        boolean operator;

        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            return parent.edit((file, out, err) -> {
                if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                    throw new IllegalArgumentException("NAME must be 1-64 letters, digits, '.', '_', '@' or '-'");
                }
                if (rpm != null && rpm < 1) {
                    throw new IllegalArgumentException("--rpm must be at least 1");
                }
                Instant now = parent.clock.instant();
                var issued = new KeyHashing(new SecureRandom()).issue(name, rpm, models == null ? List.of() : models,
                        expiry(expires), now, operator);
                KeyFile.readOrEmpty(file).with(issued.entry()).write(file);
                out.println("Key '" + name + "' added to " + file + ". It is shown this once; store it now:");
                out.println(issued.key());
                return 0;
            });
        }

        private static Instant expiry(String text) {
            if (text == null) {
                return null;
            }
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--expires " + text + ": expected YYYY-MM-DD or an ISO-8601 instant");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys: names, limits, expiry.",
            footerHeading = "%nExample:%n", footer = "  ncp keys list --file /etc/ncp/keys.json")
    static final class ListKeys implements Callable<Integer> {

        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            return parent.edit((file, out, err) -> {
                List<KeyEntry> keys = KeyFile.readOrEmpty(file).keys();
                if (keys.isEmpty()) {
                    out.println("No keys in " + file + ". Add one with: ncp keys add NAME");
                    return 0;
                }
                Instant now = parent.clock.instant();
                out.printf("%-24s %-8s %-30s %-22s %s%n", "NAME", "RPM", "MODELS", "EXPIRES", "STATE");
                for (KeyEntry k : keys) {
                    String state = k.isRevoked() ? "revoked " + k.revoked()
                            : k.expiresAt().filter(e -> !now.isBefore(e)).isPresent() ? "expired" : "active";
                    state += k.isOperator() ? " operator" : "";
                    out.printf("%-24s %-8s %-30s %-22s %s%n", k.name(),
                            k.requestsPerMinute() == null ? "-" : k.requestsPerMinute(),
                            k.models().isEmpty() ? "all" : String.join(",", k.models()),
                            k.expires() == null ? "never" : k.expires(), state);
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key; a running ncp refuses it within a second.",
            footerHeading = "%nExample:%n", footer = "  ncp keys revoke alice")
    static final class Revoke implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @picocli.CommandLine.ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            return parent.edit((file, out, err) -> {
                KeyFile keys = KeyFile.readOrEmpty(file);
                KeyEntry entry = keys.named(name).orElseThrow(
                        () -> new IllegalArgumentException("no key named '" + name + "' in " + file));
                if (entry.isRevoked()) {
                    out.println("Key '" + name + "' was revoked already (" + entry.revoked() + ").");
                    return 0;
                }
                keys.replacing(entry.revokedAt(parent.clock.instant())).write(file);
                out.println("Key '" + name + "' revoked.");
                return 0;
            });
        }
    }
}
