package dev.ncp.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.tokens.TokenEstimator;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.ToolIdCodec;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The two request bodies of a load run, each in both formats: the Anthropic body a client sends ncp, and the
 * OpenAI body ncp makes of it (by ncp's own translator), which the direct baseline sends the upstream.
 */
record LoadBodies(String name, byte[] anthropic, byte[] openAi) {

    /** A real Claude Code request (tool round trip, ~54 KB, 12 tools) from ncp-host's fixtures. */
    static final String CLAUDE_CODE_FIXTURE = "tool-round-trip--002-POST-v1-messages.json";
    private static final String TINY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
    private static final ModelInfo MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder",
            List.of(), 262_144, 65_536, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(), Map.of());

    static LoadBodies named(String name) {
        ObjectMapper json = UpstreamJson.newMapper();
        try {
            byte[] anthropic = switch (name) {
                case "tiny" -> TINY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                case "claudeCode" -> {
                    ObjectNode body = (ObjectNode) Fixtures.bodyTree(CLAUDE_CODE_FIXTURE);
                    body.put("stream", true);
                    yield json.writeValueAsBytes(body);
                }
                default -> throw new IllegalArgumentException("no load body named " + name + " (tiny, claudeCode)");
            };
            RequestTranslator translator = new RequestTranslator(new ToolIdCodec(), new TokenEstimator(json), json,
                    "claude-llama4-maverick");
            var translated = translator.translate(new MessagesRequestParser(json).parse(anthropic), MODEL);
            return new LoadBodies(name, anthropic, json.writeValueAsBytes(translated.chat()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
