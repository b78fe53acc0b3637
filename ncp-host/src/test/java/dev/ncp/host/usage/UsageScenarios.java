package dev.ncp.host.usage;

import static dev.ncp.host.testing.HttpCalls.get;
import static dev.ncp.host.testing.HttpCalls.header;
import static dev.ncp.host.testing.HttpCalls.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.testing.ProxyHarness;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.TestUsers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Usage accounting through a real ncp, read back from {@code /v1/ncp/usage}, for any engine: principals come from a
 * real auth plugin ({@link TestUsers}); {@link #startProxy} gets its plugin directory in {@code NCP_PLUGINS_DIR}.
 */
public abstract class UsageScenarios {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected abstract ProxyHarness startProxy(Map<String, String> env);

    private static MessageCreateParams hello(String text) {
        return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage(text).build();
    }

    /** One answered request as {@code user}, streamed or not; returns its input + output tokens as the SDK saw them. */
    static long[] ask(ProxyHarness h, String user, boolean stream) {
        var options = com.anthropic.core.RequestOptions.none();
        var client = h.client().withOptions(o -> o.putHeader("x-test-user", user));
        if (stream) {
            var acc = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(hello("Hi"),
                    options)) {
                events.stream().forEach(acc::accumulate);
            }
            Message m = acc.message();
            return new long[] {m.usage().inputTokens(), m.usage().outputTokens()};
        }
        Message m = client.messages().create(hello("Hi"), options);
        return new long[] {m.usage().inputTokens(), m.usage().outputTokens()};
    }

    @Test
    public void eachKeysRequestsAndTokensAreCountedAndOnlyOperatorsSeeEveryone() throws Exception {
        try (var h = startProxy(Map.of())) {
            for (int i = 0; i < 6; i++) {
                h.upstream().enqueue(Script.fixture(i % 2 == 0 ? "text-stop-usage-last.sse" : "text-then-tool-call.sse"));
            }
            long aliceIn = 0, aliceOut = 0, bobIn = 0, bobOut = 0;
            for (int i = 0; i < 4; i++) {
                long[] t = ask(h, "alice", i % 2 == 0);
                aliceIn += t[0];
                aliceOut += t[1];
            }
            for (int i = 0; i < 2; i++) {
                long[] t = ask(h, "bob", i == 0);
                bobIn += t[0];
                bobOut += t[1];
            }

            JsonNode all = awaitRequests(h, TestUsers.operator("ops"), "?group_by=principal,model", 6);
            assertEquals(2, all.path("data").size(), all.toString());
            JsonNode alice = row(all, "alice");
            assertEquals(4, alice.path("requests").asLong(), all.toString());
            assertEquals(aliceIn, alice.path("input_tokens").asLong(), all.toString());
            assertEquals(aliceOut, alice.path("output_tokens").asLong(), all.toString());
            assertTrue(aliceIn > 0 && aliceOut > 0, all.toString());
            assertEquals(0, alice.path("errors").asLong());
            assertTrue(alice.path("model").asText().contains("/"), "the upstream model that answered: " + alice);
            JsonNode bob = row(all, "bob");
            assertEquals(2, bob.path("requests").asLong(), all.toString());
            assertEquals(bobIn, bob.path("input_tokens").asLong(), all.toString());
            assertEquals(bobOut, bob.path("output_tokens").asLong(), all.toString());
            Instant from = Instant.parse(all.path("from").asText());
            Instant to = Instant.parse(all.path("to").asText());
            assertEquals(Duration.ofHours(24), Duration.between(from, to), "the default range is the last 24 h");

            JsonNode own = json(get(h.baseUrl(), "/v1/ncp/usage?group_by=principal,model", TestUsers.as("bob")), 200);
            assertEquals(1, own.path("data").size(), "bob sees only his own rows: " + own);
            assertEquals("bob", own.path("data").path(0).path("principal").asText());
            assertEquals(2, own.path("data").path(0).path("requests").asLong());

            JsonNode byDay = json(get(h.baseUrl(), "/v1/ncp/usage?group_by=day,upstream", TestUsers.operator("ops")),
                    200);
            assertEquals(1, byDay.path("data").size(), byDay.toString());
            assertEquals(6, byDay.path("data").path(0).path("requests").asLong());
            assertEquals("default", byDay.path("data").path(0).path("upstream").asText());
            assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(),
                    byDay.path("data").path(0).path("day").asText());
        }
    }

    @Test
    public void anAnswerThatFailedCountsAsAnErrorOfItsPrincipal() throws Exception {
        try (var h = startProxy(Map.of("NCP_MAX_RETRIES", "0"))) {
            h.upstream().enqueue(Script.error("vllm-400-context-length"));
            h.upstream().enqueue(Script.fixture("text-stop-usage-last.sse"));
            try {
                ask(h, "carol", false);
            } catch (RuntimeException expected) {
                // the SDK raises the Anthropic error; what matters here is how it was counted
            }
            ask(h, "carol", false);
            JsonNode rows = awaitRequests(h, TestUsers.as("carol"), "?group_by=principal", 2);
            assertEquals(1, rows.path("data").path(0).path("errors").asLong(), rows.toString());
        }
    }

    @Test
    public void badParametersAreAnthropicShapedBadRequests() throws Exception {
        try (var h = startProxy(Map.of())) {
            for (String query : new String[] {"?from=yesterday", "?group_by=principal,colour",
                    "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "?group_by=day,hour"}) {
                HttpResponse<byte[]> r = get(h.baseUrl(), "/v1/ncp/usage" + query, TestUsers.as("dora"));
                assertEquals(400, r.statusCode(), query + ": " + text(r));
                JsonNode error = JSON.readTree(r.body());
                assertEquals("error", error.path("type").asText(), text(r));
                assertEquals("invalid_request_error", error.path("error").path("type").asText(), text(r));
                assertTrue(header(r, "request-id").startsWith("req_"), query);
            }
            JsonNode empty = json(get(h.baseUrl(), "/v1/ncp/usage?from=2026-01-01&to=2026-01-02T00:00:00%2B01:00",
                    TestUsers.as("dora")), 200);
            assertEquals("2026-01-01T00:00:00Z", empty.path("from").asText());
            assertEquals("2026-01-01T23:00:00Z", empty.path("to").asText());
            assertEquals(0, empty.path("data").size(), empty.toString());
        }
    }

    /** Reads the report until it counts {@code requests} (a request is counted once its answer has ended). */
    static JsonNode awaitRequests(ProxyHarness h, Map<String, String> as, String query, long requests)
            throws Exception {
        return awaitRequests(h.baseUrl(), as, query, requests);
    }

    public static JsonNode awaitRequests(String baseUrl, Map<String, String> as, String query, long requests)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode body;
        do {
            body = json(get(baseUrl, "/v1/ncp/usage" + query, as), 200);
            long counted = 0;
            for (JsonNode row : body.path("data")) {
                counted += row.path("requests").asLong();
            }
            if (counted >= requests) {
                return body;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("usage never counted " + requests + " requests: " + body);
    }

    static JsonNode row(JsonNode report, String principal) {
        for (JsonNode row : report.path("data")) {
            if (row.path("principal").asText().equals(principal)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + principal + ": " + report);
    }

    static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), text(response));
        return JSON.readTree(response.body());
    }
}
