package dev.ncp.host.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.UpstreamErrorMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureKindTest {

    private final UpstreamErrorMapper mapper = new UpstreamErrorMapper(new ObjectMapper());

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"500,TRANSIENT", "502,TRANSIENT", "503,TRANSIENT", "504,TRANSIENT", "529,TRANSIENT",
            "408,TRANSIENT", "429,RATE_LIMITED", "404,MODEL_MISSING", "410,MODEL_MISSING", "400,FINAL",
            "401,FINAL", "403,FINAL", "413,FINAL", "422,FINAL"})
    void upstreamStatusesAreClassified(int status, FailureKind kind) {
        assertEquals(kind, FailureKind.of(mapper.fromResponse(status, Map.of(), "{\"message\":\"x\"}", "m")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens.",
            "The input (200512 tokens) is longer than the model's context length (131072 tokens)."})
    void contextLengthRefusalsAreTheirOwnKind(String message) {
        assertEquals(FailureKind.CONTEXT_OVERFLOW,
                FailureKind.of(mapper.fromResponse(400, Map.of(), "{\"message\":\"" + message + "\"}", "m")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TIMEOUT", "API", "OVERLOADED"})
    void ncpsOwnUpstreamFailuresAreTransient(ErrorType type) {
        assertEquals(FailureKind.TRANSIENT, FailureKind.of(new ApiError(type, "could not reach the upstream")));
    }
}
