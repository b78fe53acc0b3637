package dev.ncp.host.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.testing.AnswerHarness;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamErrorMapperTest {

    private final UpstreamErrorMapper mapper = new UpstreamErrorMapper(AnswerHarness.JSON);

    private ApiError map(int status, String body) {
        return mapper.fromResponse(status, Map.of(), body, "vendor/model");
    }

    @Test
    void nimsTrailingNoneIsStripped() {
        assertEquals("Inference failed", map(400, "{\"object\":\"error\",\"message\":\"Inference failed None\"}").getMessage());
        assertEquals("x", UpstreamErrorMapper.clean("  x \n None None"));
    }

    @Test
    void openAiErrorTypeIsTheFallbackWhenThereIsNoMessage() {
        assertEquals("invalid_request", map(400, "{\"error\":{\"type\":\"invalid_request\"}}").getMessage());
    }

    @Test
    void anEmptyBodyStillSaysWhatHappened() {
        ApiError e = map(500, "");
        assertEquals(ErrorType.API, e.type());
        assertEquals("The upstream failed (HTTP 500).", e.getMessage());
    }

    @Test
    void otherClientErrorsAreInvalidRequestsAndOtherStatusesApiErrors() {
        ApiError teapot = map(418, "{\"detail\":\"short and stout\"}");
        assertEquals(ErrorType.INVALID_REQUEST, teapot.type());
        assertEquals(418, teapot.status());
        ApiError redirect = map(302, "");
        assertEquals(ErrorType.API, redirect.type());
        assertEquals(502, redirect.status());
        assertEquals(ErrorType.BILLING, map(402, "{}").type());
        assertEquals(ErrorType.INVALID_REQUEST, map(422, "{\"detail\":\"bad field\"}").type());
    }

    @Test
    void longMessagesAreCut() {
        String message = map(400, "{\"message\":\"" + "x".repeat(5000) + "\"}").getMessage();
        assertEquals(1003, message.length());
    }

    @Test
    void anUnreachableUpstreamNamesHostAndReasonButNoCredentials() {
        ApiError e = mapper.unreachable(URI.create("https://nim.example:8443/v1"), new ConnectException("Connection refused"));
        assertEquals(ErrorType.API, e.type());
        assertEquals(502, e.status());
        assertEquals("could not reach the upstream at nim.example:8443: Connection refused", e.getMessage());
        ApiError noMessage = mapper.unreachable(URI.create("http://h/v1"), new IOException());
        assertEquals("could not reach the upstream at h: IOException", noMessage.getMessage());
    }

    @Test
    void anUpstreamThatEchoesTheKeyGetsItMaskedInEveryMessage() {
        String key = "nvapi-secret-0123456789abcdef";
        var keyed = new UpstreamErrorMapper(AnswerHarness.JSON, key);
        String echo = "{\"error\":{\"message\":\"Invalid credentials: Bearer " + key + "\"}}";
        ApiError refused = keyed.fromResponse(401, Map.of(), echo, "vendor/model");
        assertEquals("The upstream rejected ncp's API key (HTTP 401: Invalid credentials: Bearer nvap\u2026cdef)."
                + " Check NVIDIA_API_KEY.", refused.getMessage());
        var chunk = new ChatChunk(null, "error", "m", null, null, null, "bad key " + key);
        assertFalse(keyed.fromStreamChunk(chunk).getMessage().contains(key));
        assertFalse(keyed.unreachable(URI.create("http://h/v1"), new IOException("proxy said " + key))
                .getMessage().contains(key));
    }

    @Test
    void anOverloadedUpstreamIsAnthropicsOverloadedError529() {
        for (int status : new int[] {503, 529}) {
            ApiError e = map(status, "{\"status\":503,\"title\":\"Service Unavailable\"}");
            assertEquals(ErrorType.OVERLOADED, e.type());
            assertEquals(529, e.status());
        }
    }

    @Test
    void anErrorChunkWithoutACodeIsAnApiError() {
        var chunk = new ChatChunk(null, "error", "m", null, null, null, "Engine died");
        ApiError e = mapper.fromStreamChunk(chunk);
        assertEquals(ErrorType.API, e.type());
        assertEquals("The upstream failed mid-answer: Engine died", e.getMessage());
        assertFalse(e.getMessage().contains("None"));
    }
}
