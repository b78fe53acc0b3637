package dev.ncp.host.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which requests spend the default upstream's budget: those whose model has no named deployments. */
class DefaultUpstreamRequestsTest {

    private static final String ON_NIM_A = "meta/llama-3.3-70b-instruct";

    private static Upstream upstream(String name) {
        return new Upstream(name, URI.create("http://127.0.0.1:9/v1"), false, 1, 0, 0, null, System::nanoTime);
    }

    private final ModelRegistry registry = ModelRegistry.build(List.of(), Optional.empty());
    private final DefaultUpstreamRequests requests = new DefaultUpstreamRequests(registry, new Deployments(
            upstream(Upstream.DEFAULT_NAME), Map.of("nim-a", upstream("nim-a")), Map.of(ON_NIM_A, List.of("nim-a"))));

    private boolean forDefault(String body) {
        return requests.test(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aModelOnNamedUpstreamsIsNotTheDefaultsWhereverItsNameStands() {
        assertFalse(forDefault("{\"model\":\"" + ON_NIM_A + "\",\"max_tokens\":5,\"messages\":[]}"));
        // after the messages, past nested objects that hold a "model" key of their own
        assertFalse(forDefault("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"hi\",\"model\":\"x\"}]}],\"metadata\":{\"model\":\"y\"},\"model\":\"" + ON_NIM_A + "\"}"));
        assertFalse(forDefault("{\"model\":\"claude-llama-3-3\",\"messages\":[]}"), "an alias of that model");
    }

    @Test
    void everythingElseIsTheDefaults() {
        assertTrue(forDefault("{\"model\":\"deepseek-ai/deepseek-r1\",\"messages\":[]}"));
        assertTrue(forDefault("{\"model\":\"claude-opus-4-5\",\"messages\":[]}"), "a family name on the default");
        assertTrue(forDefault("{\"messages\":[{\"model\":\"" + ON_NIM_A + "\"}]}"), "no top-level model");
        assertTrue(forDefault("{\"model\":42}"));
        assertTrue(forDefault("not json"), "the parser's 400 comes later; the gate counts it as before");
        assertTrue(forDefault("[\"" + ON_NIM_A + "\"]"));
        assertTrue(forDefault(""));
    }
}
