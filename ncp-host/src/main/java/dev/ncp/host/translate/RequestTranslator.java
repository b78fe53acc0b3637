package dev.ncp.host.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.UnknownBlockText;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.media.PngConversion;
import dev.ncp.host.tokens.InputTokens;
import dev.ncp.host.tokens.TokenEstimator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anthropic Messages request → OpenAI chat-completions request for one resolved model. Orchestrates the pieces,
 * each of which documents its rules: {@link ToolMapper} (tools, names, schemas, Anthropic-defined types),
 * {@link ToolChoiceMapper}, {@link ConversationMapper} (system prompt, turns, tool-result pairing, content),
 * {@link ThinkingSettings}, {@link UserIdDigest}, {@link SamplingOverrides}.
 *
 * <p>Field mapping: {@code stop_sequences} → {@code stop}; {@code temperature}/{@code top_p}/{@code top_k} as sent;
 * {@code max_tokens} as sent (the host clamps it later); {@code metadata.user_id} → a digest in {@code user};
 * upstream is always streamed with usage. {@code thinking} and {@code output_config.effort} go to the
 * {@link ShapingContext}, never upstream raw; {@code output_config.format} → {@code response_format}
 * ({@link StructuredOutput}). {@code service_tier} and {@code context_management} have no NIM meaning and are not
 * sent. Stateless and thread-safe.
 */
public final class RequestTranslator {

    private static final Logger log = LoggerFactory.getLogger(RequestTranslator.class);

    private final ToolMapper toolMapper;
    private final ToolChoiceMapper choiceMapper = new ToolChoiceMapper();
    private final ConversationMapper conversationMapper;
    private final StructuredOutput structuredOutput;
    private final TokenEstimator tokens;

    /**
     * A translator that trusts no thinking in history (it has no signer to verify it with): every thinking block a
     * client sends back is dropped.
     */
    public RequestTranslator(ToolIdCodec ids, TokenEstimator tokens, ObjectMapper json, String visionModelHint) {
        this(ids, tokens, json, visionModelHint, HistoryThinking.verifyingNothing());
    }

    /**
     * @param json            used to read the bundled Anthropic-defined tool schemas
     * @param visionModelHint a vision-capable model (e.g. an alias) suggested when an image meets a model without
     *                        vision; null to suggest none
     * @param history         decides which thinking blocks of the history ncp signed (kept for adapters), which came
     *                        from elsewhere (dropped) and which were tampered with (400)
     */
    public RequestTranslator(ToolIdCodec ids, TokenEstimator tokens, ObjectMapper json, String visionModelHint,
                             HistoryThinking history) {
        var unknown = new UnknownBlockText();
        var content = new ContentMapper(visionModelHint, unknown, tokens.pdfText(), new PngConversion());
        var cleaner = new ToolSchemaCleaner();
        this.toolMapper = new ToolMapper(new ToolNameSanitizer(), cleaner, new AnthropicToolCatalog(json));
        this.structuredOutput = new StructuredOutput(json, cleaner);
        this.conversationMapper = new ConversationMapper(new AssistantTurnMapper(ids, unknown, history),
                new ToolResultOrderer(content), content);
        this.tokens = tokens;
    }

    /** Translates a parsed, validated request for {@code model}; throws {@link ApiError} 400 for what NIM cannot do. */
    public TranslatedRequest translate(MessagesRequest request, ModelInfo model) {
        return translate(request, model, tokens.start(request));
    }

    /** As {@link #translate(MessagesRequest, ModelInfo)}, with the input count already started for the request. */
    public TranslatedRequest translate(MessagesRequest request, ModelInfo model, InputTokens inputTokens) {
        refuseMcpServers(request.mcpServers());
        if (!request.tools().isEmpty() && !model.capabilities().tools()) {
            throw ApiError.invalidRequest("tools: " + model.id() + " does not support tool calling; use a model with"
                    + " tool support, or send the request without tools");
        }
        ToolMapper.MappedTools tools = toolMapper.map(request.tools());
        ToolChoiceMapper.Choice choice = choiceMapper.map(request.toolChoice(), tools.names(),
                !tools.tools().isEmpty(), model);
        ConversationMapper.Conversation conversation = conversationMapper.map(request, model, tools.names(),
                choice.systemHint());
        if (conversation.foreignThinking() > 0) {
            log.info("dropped {} thinking block(s) of the history that ncp did not sign (e.g. from a session that"
                    + " began on Anthropic's API); the model does not see that reasoning",
                    conversation.foreignThinking());
        }
        String user = request.metadata() == null ? null : UserIdDigest.of(request.metadata().userId());
        var chat = new ChatRequest(model.id(), conversation.messages(), tools.tools(), choice.toolChoice(),
                choice.parallelToolCalls(), request.maxTokens(), request.temperature(), request.topP(), request.topK(),
                request.stopSequences(), user, true, ChatRequest.StreamOptions.WITH_USAGE, null, null, Map.of())
                .withExtra("response_format", request.outputConfig() == null ? null
                        : structuredOutput.responseFormat(request.outputConfig().format()));
        chat = SamplingOverrides.apply(chat, model.samplingOverrides());
        var shaping = new ShapingContext(model, request.model(),
                ThinkingSettings.of(request.thinking(), request.outputConfig()), tools.schemas(),
                request.stopSequences(), conversation.reasoning());
        return new TranslatedRequest(chat, shaping, tools.names(), inputTokens,
                conversation.reasoning());
    }

    private static void refuseMcpServers(JsonNode servers) {
        if (servers != null && !servers.isNull() && !servers.isEmpty()) {
            throw ApiError.invalidRequest("mcp_servers: Anthropic's MCP connector runs MCP servers on Anthropic's"
                    + " side; NVIDIA NIM has no server-side tools. Connect the MCP servers in your client instead"
                    + " (Claude Code: claude mcp add).");
        }
    }
}
