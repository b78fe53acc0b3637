package dev.ncp.host.http;

import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.PluginJarBuilder;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bug anywhere on a request's path (here: an auth plugin that throws) still answers in Anthropic's error shape with
 * a request id — never Javalin's plain "Server Error" — and the proxy keeps serving.
 */
class UnexpectedFailureTest {

    @TempDir
    static Path plugins;

    /** {@code x-boom: exception} throws a RuntimeException; {@code x-boom: error} a LinkageError (fatal in Javalin). */
    @BeforeAll
    static void buildThrowingAuthPlugin() throws Exception {
        new PluginJarBuilder("throwing-auth", "1.0.0").source("""
                package dev.ncp.testplugin;

                import dev.ncp.api.auth.*;
                import java.util.Set;
                import org.pf4j.Extension;

                @Extension
                public class ThrowingAuth implements AuthProvider {
                    public String name() { return "throwing-auth"; }
                    public AuthDecision authenticate(AuthRequest request) {
                        String boom = request.header("x-boom").orElse("");
                        if (boom.equals("exception")) {
                            throw new IllegalStateException("a plugin bug");
                        }
                        if (boom.equals("error")) {
                            throw new LinkageError("a plugin built against another ncp-api");
                        }
                        return AuthDecision.accept(new Principal("tester", null, Set.of()));
                    }
                }
                """).build(Files.createDirectories(plugins.resolve("dir")).resolve("throwing-auth.jar"));
    }

    @Test
    void anExceptionOrAnErrorOnTheRequestPathIsAnAnthropicApiErrorAndTheProxyKeepsServing() throws Exception {
        try (var h = ProxyHarness.start(Map.of("NCP_PLUGINS_DIR", plugins.resolve("dir").toString()))) {
            for (String kind : new String[] {"exception", "error"}) {
                HttpResponse<byte[]> failed = postMessages(h.baseUrl(), messagesBody(false, "hi"),
                        Map.of("x-boom", kind));
                assertEquals(500, failed.statusCode(), kind + ": " + text(failed));
                JsonNode body = new ObjectMapper().readTree(failed.body());
                assertEquals("error", body.path("type").asText(), text(failed));
                assertEquals("api_error", body.path("error").path("type").asText(), text(failed));
                assertTrue(body.path("error").path("message").asText().contains("request-id"), text(failed));
                assertFalse(text(failed).contains("a plugin"), "no internals reach the client: " + text(failed));
                assertTrue(header(failed, "request-id").startsWith("req_"), kind);
            }
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            HttpResponse<byte[]> fine = postMessages(h.baseUrl(), messagesBody(false, "hi"), Map.of());
            assertEquals(200, fine.statusCode(), text(fine));
        }
    }
}
