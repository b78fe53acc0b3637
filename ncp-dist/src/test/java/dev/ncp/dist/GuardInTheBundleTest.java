package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.ncp.host.testing.EveryOffsetCuts;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.GuardFixtures.Case;
import dev.ncp.host.testing.GuardFixtures;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The open models' tool-call mistakes through the bundle as a user starts it, every shipped plugin loaded: the model
 * is Qwen3-Coder, whose plugin reads {@code <tool_call>} as its own XML format first, so the guard has to work behind
 * a family's processors. Each fixture whole, streamed and not, by the Anthropic SDK; the fixtures that start with a
 * {@code <tool_call>} the Qwen plugin also looks at are cut at every byte offset too ({@link EveryOffsetCuts}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardInTheBundleTest {

    private static final String QWEN3_CODER = "qwen/qwen3-coder-480b-a35b-instruct";
    /** Where the Qwen plugin and the guard both see a {@code <tool_call>}. */
    private static final Set<String> CUT_EVERYWHERE = Set.of("guard-hermes-json-in-text.sse",
            "guard-prose-mentions-tag.sse");

    private ScriptedUpstream upstream;
    private BundleProcess ncp;
    private AnthropicClient client;

    @BeforeAll
    void startTheBundle() throws Exception {
        upstream = ScriptedUpstream.start();
        ncp = new BundleProcess(Files.createTempDirectory("ncp-guard-bundle"))
                .env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef").start();
        client = AnthropicOkHttpClient.builder().baseUrl(ncp.url("")).apiKey("sk-ant-test").maxRetries(0).build();
    }

    @AfterAll
    void stopTheBundle() throws Exception {
        client.close();
        ncp.close();
        upstream.close();
    }

    static List<Case> fixtures() {
        return GuardFixtures.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theGuardRepairsEachFixtureBehindTheFamilyPlugins(Case c) {
        byte[] body = Fixtures.upstream(c.fixture());
        assertMessage(c, nonStreamed(Script.stream(body)), "whole, not streamed");
        assertMessage(c, streamed(Script.stream(body)), "whole, streamed");
        if (CUT_EVERYWHERE.contains(c.fixture())) {
            for (int[] plan : EveryOffsetCuts.plans(body.length)) {
                String how = EveryOffsetCuts.describe(plan);
                assertMessage(c, streamed(Script.stream(body).cutAt(plan)), how + ", streamed");
                assertMessage(c, nonStreamed(Script.stream(body).cutAt(plan)), how + ", not streamed");
            }
        }
    }

    private static void assertMessage(Case c, Message message, String how) {
        assertEquals(c.content(), GuardFixtures.comparable(message), c.fixture() + " " + how);
        assertEquals(c.stopReason(), message.stopReason().orElseThrow().asString(), c.fixture() + " " + how);
    }

    private Message streamed(Script script) {
        upstream.enqueue(script);
        var acc = MessageAccumulator.create();
        try (var stream = client.messages().createStreaming(params())) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    private Message nonStreamed(Script script) {
        upstream.enqueue(script);
        return client.messages().create(params());
    }

    private static MessageCreateParams params() {
        return GuardFixtures.params(QWEN3_CODER);
    }
}
