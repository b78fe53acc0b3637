package dev.ncp.host.sessions;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.messagesBody;
import static dev.ncp.host.testing.HttpCalls.postMessages;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.RecordedRequest;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.TestRequests;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Claude Code sessions counted through a real ncp and read back from {@code /v1/ncp/sessions}, for any engine. */
public abstract class SessionScenarios {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected abstract ProxyHarness startProxy(Map<String, String> env);

    private static MessageCreateParams.Builder hello() {
        return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("Hi");
    }

    @Test
    public void requestsOfASessionAreCountedWithTheirTokensAndModel() throws Exception {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            h.upstream().enqueue(Script.fixture("text-then-tool-call.sse"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String headerSession = UUID.randomUUID().toString();
            String metadataSession = UUID.randomUUID().toString();

            Instant before = Instant.now().minusSeconds(1);
            Message whole = h.client().messages().create(hello()
                    .putAdditionalHeader(SessionIds.HEADER, headerSession).build());
            var streamed = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(hello()
                    .putAdditionalHeader(SessionIds.HEADER, headerSession).build())) {
                stream.stream().forEach(streamed::accumulate);
            }
            // Claude Code's metadata.user_id: a JSON string carrying the session id.
            String userId = "{\"device_id\":\"d1\",\"account_uuid\":\"a1\",\"session_id\":\"" + metadataSession + "\"}";
            h.client().messages().create(hello().metadata(Metadata.builder().userId(userId).build()).build());

            JsonNode session = json(get(h.baseUrl(), "/v1/ncp/sessions/" + headerSession, Map.of()), 200);
            assertEquals(headerSession, session.path("id").asText());
            assertEquals(2, session.path("requests").asLong());
            assertEquals(0, session.path("errors").asLong());
            long input = whole.usage().inputTokens() + streamed.message().usage().inputTokens();
            long output = whole.usage().outputTokens() + streamed.message().usage().outputTokens();
            assertEquals(input, session.path("input_tokens").asLong(), session.toString());
            assertEquals(output, session.path("output_tokens").asLong(), session.toString());
            assertEquals(whole.usage().cacheReadInputTokens().orElse(0L)
                            + streamed.message().usage().cacheReadInputTokens().orElse(0L),
                    session.path("cache_read_input_tokens").asLong());
            assertEquals(2, session.path("models").path(TestRequests.MODEL).asLong(), session.toString());
            Instant first = Instant.parse(session.path("first_activity").asText());
            Instant last = Instant.parse(session.path("last_activity").asText());
            assertTrue(!first.isBefore(before) && !last.isBefore(first), session.toString());

            JsonNode list = json(get(h.baseUrl(), "/v1/ncp/sessions", Map.of()), 200);
            assertEquals(2, list.path("data").size(), list.toString());
            assertEquals(metadataSession, list.path("data").path(0).path("id").asText(), "most recent first");
            assertEquals(1, list.path("data").path(0).path("requests").asLong());
            assertEquals(headerSession, list.path("data").path(1).path("id").asText());
            assertEquals(1, json(get(h.baseUrl(), "/v1/ncp/sessions?limit=1", Map.of()), 200).path("data").size());
        }
    }

    @Test
    public void aRefusedRequestCountsAsAnErrorOfTheSessionInItsMetadata() throws Exception {
        try (var h = startProxy(Map.of())) {
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String session = UUID.randomUUID().toString();
            String metadata = ",\"metadata\":{\"user_id\":\"user_0a1b2c_account__session_" + session + "\"}}";
            String answered = messagesBody(true, "Hi");
            String refused = answered.replace("\"max_tokens\":64", "\"max_tokens\":\"lots\"");
            assertEquals(400, postMessages(h.baseUrl(), refused.substring(0, refused.length() - 1) + metadata,
                    Map.of()).statusCode(), "max_tokens not an integer: never parsed, so the body is scanned");
            assertEquals(200, postMessages(h.baseUrl(), answered.substring(0, answered.length() - 1) + metadata,
                    Map.of()).statusCode());

            JsonNode counted = json(get(h.baseUrl(), "/v1/ncp/sessions/" + session, Map.of()), 200);
            assertEquals(2, counted.path("requests").asLong(), counted.toString());
            assertEquals(1, counted.path("errors").asLong(), counted.toString());
            assertTrue(counted.path("output_tokens").asLong() > 0, counted.toString());
        }
    }

    @Test
    public void aStreamAnsweredByAFallbackModelCountsForThatModel() throws Exception {
        String fallback = "meta/llama-3.3-70b-instruct";
        try (var h = startProxy(Map.of("NCP_MAX_RETRIES", "0", "NCP_FALLBACK_MODELS", fallback))) {
            h.upstream().enqueue(Script.error("nim-503-overloaded"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            String session = UUID.randomUUID().toString();
            var streamed = MessageAccumulator.create();
            try (var stream = h.client().messages().createStreaming(hello()
                    .putAdditionalHeader(SessionIds.HEADER, session).build())) {
                stream.stream().forEach(streamed::accumulate);
            }

            JsonNode counted = json(get(h.baseUrl(), "/v1/ncp/sessions/" + session, Map.of()), 200);
            // The stream's x-ncp-model header named the first candidate: it went out before the upstream answered.
            // The model that answered: NCP_FALLBACK_MODELS's, or the registry's own chain where it has one (bundle).
            List<RecordedRequest> calls = h.upstream().requests();
            String answered = calls.get(calls.size() - 1).json().path("model").asText();
            assertNotEquals(calls.get(0).json().path("model").asText(), answered, "a fallback model answered");
            assertEquals(1, counted.path("models").size(), counted.toString());
            assertEquals(1, counted.path("models").path(answered).asLong(), counted.toString());
            assertEquals(streamed.message().usage().outputTokens(), counted.path("output_tokens").asLong());
        }
    }

    @Test
    public void anUnknownSessionIsAnAnthropicNotFound() throws Exception {
        try (var h = startProxy(Map.of())) {
            JsonNode error = json(get(h.baseUrl(), "/v1/ncp/sessions/nobody-here", Map.of()), 404);
            assertEquals("not_found_error", error.path("error").path("type").asText());
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), text(response));
        return JSON.readTree(response.body());
    }
}
