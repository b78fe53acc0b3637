package dev.ncp.host.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.anthropic.Fixtures;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.security.ThinkingSigner;
import dev.ncp.host.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Shared test wiring: one mapper, one estimator (loading cl100k takes a while), one parser, one translator. */
public final class Translation {

    public static final String VISION_HINT = "claude-vision";
    public static final ModelInfo TEXT_MODEL = new ModelInfo("qwen/qwen3-coder-480b-a35b-instruct", "qwen3-coder",
            List.of("claude-sonnet-4-5"), 262_144, 65_536, ModelInfo.Capabilities.TOOLS_ONLY, "none", List.of(),
            Map.of());
    public static final ModelInfo VISION_MODEL = new ModelInfo("meta/llama-4-maverick-17b-128e-instruct", "llama4",
            List.of(VISION_HINT), 1_048_576, 16_384, new ModelInfo.Capabilities(true, true, false, false), "none",
            List.of(), Map.of());
    /** A model whose registry entry says it reads PDFs (as a user models file can mark one with pdf: true). */
    public static final ModelInfo PDF_MODEL = new ModelInfo("acme/doc-reader-vl", "acme", List.of(), 131_072, 8_192,
            new ModelInfo.Capabilities(true, true, false, true), "none", List.of(), Map.of());

    public static final TokenEstimator ESTIMATOR = new TokenEstimator(Fixtures.JSON);
    public static final MessagesRequestParser PARSER = new MessagesRequestParser(Fixtures.JSON);
    public static final ToolIdCodec IDS = new ToolIdCodec();
    /** Signs thinking as this installation's BlockFinalizer would (a fixed test secret). */
    public static final ThinkingSigner SIGNER = new ThinkingSigner("translation-tests-secret".getBytes(StandardCharsets.UTF_8));
    public static final RequestTranslator TRANSLATOR = new RequestTranslator(IDS, ESTIMATOR, Fixtures.JSON, VISION_HINT,
            HistoryThinking.verifiedWith(SIGNER));

    private Translation() {
    }

    public static MessagesRequest parse(String json) {
        return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static TranslatedRequest translate(String json, ModelInfo model) {
        return TRANSLATOR.translate(parse(json), model);
    }

    /** The upstream request exactly as it goes on the wire. */
    public static JsonNode wire(TranslatedRequest translated) {
        return Fixtures.JSON.valueToTree(translated.chat());
    }

    /** The wire messages of {@code json} translated for the text-only model. */
    public static JsonNode messages(String json) {
        return wire(translate(json, TEXT_MODEL)).get("messages");
    }

    /** A request body with these messages (JSON array text) and nothing else. */
    public static String withMessages(String messagesJson) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":" + messagesJson + "}";
    }
}
