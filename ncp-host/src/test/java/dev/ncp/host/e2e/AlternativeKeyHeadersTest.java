package dev.ncp.host.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.host.testing.HttpCalls;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients of other Anthropic proxies send the key as {@code api-key} or {@code x-claude-api-key}: both are taken like
 * {@code x-api-key}, a wrong key in them is refused the same way, and none of them reaches the upstream.
 */
@Timeout(60)
class AlternativeKeyHeadersTest {

    private static final String PROXY_KEY = "sk-ncp-headers-0123456789abcdef";

    @Test
    void apiKeyAndXClaudeApiKeyAreAcceptedLikeXApiKey() {
        try (var h = ProxyHarness.start(Map.of("PROXY_API_KEY", PROXY_KEY))) {
            h.upstream().fallback(Script.fixture("text-stop-usage-last.sse"));
            for (String header : List.of("x-api-key", "api-key", "x-claude-api-key", "Api-Key", "X-Claude-Api-Key")) {
                var wrong = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi"),
                        Map.of(header, "sk-ncp-wrong-0000000000000000"));
                assertEquals(401, wrong.statusCode(), header + ": " + HttpCalls.text(wrong));
                var right = HttpCalls.postMessages(h.baseUrl(), HttpCalls.messagesBody(false, "hi"),
                        Map.of(header, PROXY_KEY));
                assertEquals(200, right.statusCode(), header + ": " + HttpCalls.text(right));
                assertEquals(200, HttpCalls.get(h.baseUrl(), "/v1/models", Map.of(header, PROXY_KEY)).statusCode());
            }
            for (var sent : h.upstream().requests()) {
                assertEquals("Bearer " + ProxyHarness.UPSTREAM_KEY, sent.header("authorization"));
                for (String header : List.of("x-api-key", "api-key", "x-claude-api-key")) {
                    assertEquals(null, sent.header(header), header + " is not forwarded");
                }
            }
        }
    }
}
