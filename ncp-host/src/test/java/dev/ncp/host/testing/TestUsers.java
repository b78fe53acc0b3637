package dev.ncp.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real auth plugin (compiled into a jar, loaded by PF4J) whose principals come from headers:
 * {@code x-test-user: <name>} is that user, {@code x-test-operator} makes them an operator.
 */
public final class TestUsers {

    private TestUsers() {
    }

    /** Builds the plugin into {@code dir} (once) and returns the directory for {@code NCP_PLUGINS_DIR}. */
    public static Path pluginDirectory(Path dir) {
        Path jar = dir.resolve("test-users.jar");
        if (Files.exists(jar)) {
            return dir;
        }
        try {
            new PluginJarBuilder("test-users", "1.0.0").source("""
                    package dev.ncp.testplugin;

                    import dev.ncp.api.auth.*;
                    import java.util.Set;
                    import org.pf4j.Extension;

                    @Extension
                    public class UserHeaderAuth implements AuthProvider {
                        public String name() { return "test-users"; }
                        public AuthDecision authenticate(AuthRequest request) {
                            return request.header("x-test-user")
                                    .<AuthDecision>map(user -> AuthDecision.accept(new Principal(user, null, Set.of(),
                                            request.header("x-test-operator").isPresent())))
                                    .orElse(AuthDecision.reject("say who you are in x-test-user"));
                        }
                    }
                    """).build(Files.createDirectories(dir).resolve("test-users.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The headers of {@code user}. */
    public static Map<String, String> as(String user) {
        return new HashMap<>(Map.of("x-test-user", user));
    }

    /** The headers of {@code user}, an operator. */
    public static Map<String, String> operator(String user) {
        return new HashMap<>(Map.of("x-test-user", user, "x-test-operator", "yes"));
    }
}
