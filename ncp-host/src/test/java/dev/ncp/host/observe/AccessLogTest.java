package dev.ncp.host.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ncp.host.config.LogFormat;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The access log's two line formats, exactly. */
class AccessLogTest {

    private static final RequestSummary TOOL_CALL = new RequestSummary("req_01abc", "local", "POST", "/v1/messages",
            "claude-opus-4-7", "qwen/qwen3-coder-480b-a35b-instruct", "nim-b", "alias", 200, "ok", "tool_use", 12L, 40, 5210,
            48);
    private static final RequestSummary HEALTH = new RequestSummary("req_01def", "anonymous", "GET", "/health", "-",
            "-", "-", "-", 401, "error", "-", null, 2, 0, 0);

    @Test
    void plainLinesAreKeyValueTextWithTheModelRequestedAndUsed() {
        var lines = new ArrayList<String>();
        var log = new AccessLog(LogFormat.PLAIN, lines::add);
        log.record(TOOL_CALL);
        log.record(HEALTH);
        assertEquals("req_01abc principal=local \"POST /v1/messages\" model=claude-opus-4-7->"
                + "qwen/qwen3-coder-480b-a35b-instruct upstream=nim-b route=alias status=200 outcome=ok stop=tool_use ttft_ms=12 "
                + "duration_ms=40 tokens_in=5210 tokens_out=48", lines.get(0));
        assertEquals("req_01def principal=anonymous \"GET /health\" model=-->- upstream=- route=- status=401 outcome=error stop=- "
                + "ttft_ms=- duration_ms=2 tokens_in=0 tokens_out=0", lines.get(1));
    }

    @Test
    void jsonLinesAreOneObjectWithNullForWhatIsUnknown() {
        var lines = new ArrayList<String>();
        var log = new AccessLog(LogFormat.JSON, lines::add);
        log.record(TOOL_CALL);
        log.record(HEALTH);
        assertEquals("{\"request_id\":\"req_01abc\",\"principal\":\"local\",\"method\":\"POST\",\"path\":\"/v1/messages\","
                + "\"model_requested\":\"claude-opus-4-7\",\"model\":\"qwen/qwen3-coder-480b-a35b-instruct\","
                + "\"upstream\":\"nim-b\",\"route\":\"alias\",\"status\":200,\"outcome\":\"ok\",\"stop_reason\":\"tool_use\",\"ttft_ms\":12,"
                + "\"duration_ms\":40,\"input_tokens\":5210,\"output_tokens\":48}", lines.get(0));
        assertEquals("{\"request_id\":\"req_01def\",\"principal\":\"anonymous\",\"method\":\"GET\",\"path\":\"/health\","
                + "\"model_requested\":null,\"model\":null,\"upstream\":null,\"route\":null,\"status\":401,\"outcome\":\"error\","
                + "\"stop_reason\":null,\"ttft_ms\":null,\"duration_ms\":2,\"input_tokens\":0,\"output_tokens\":0}",
                lines.get(1));
    }

    @Test
    void valuesCannotBreakTheLineApart() {
        var lines = new ArrayList<String>();
        new AccessLog(LogFormat.PLAIN, lines::add).record(new RequestSummary("req_1", "team a\"b", "POST",
                "/v1/messages", "my model\nname", "-", "-", "-", 400, "error", "-", null, 1, 0, 0));
        assertEquals("req_1 principal=team_a_b \"POST /v1/messages\" model=my_model_name->- upstream=- route=- status=400 "
                + "outcome=error stop=- ttft_ms=- duration_ms=1 tokens_in=0 tokens_out=0", lines.get(0));
    }
}
