package dev.ncp.host.anthropic;

import dev.ncp.host.error.ApiError;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic's request rules that JSON types alone cannot express: required fields, ranges, thinking budget, tool
 * names. Messages follow Anthropic's {@code path: problem} shape so clients and people recognise them. Rules that
 * depend on the chosen model (vision, PDF) or on the conversation's pairing of tool calls live in the translator.
 */
final class MessagesRequestValidator {

    /** Anthropic's rule for custom tool names (it rejects anything else with this pattern in the message). */
    static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");
    static final int MIN_THINKING_BUDGET = 1024;
    private static final Set<String> THINKING_TYPES = Set.of("enabled", "disabled", "adaptive", "between_tools");
    private static final Set<String> TOOL_CHOICE_TYPES = Set.of("auto", "any", "tool", "none");

    private final BlockValidator blocks = new BlockValidator();
    private final JsonBodyLimits limits;

    /** @param limits among them, the most tools one request may define ({@code NCP_MAX_TOOLS}) */
    MessagesRequestValidator(JsonBodyLimits limits) {
        this.limits = limits;
    }

    void validate(MessagesRequest request) {
        if (request.model() == null) {
            throw fail("model", "Field required");
        }
        ModelNames.check(request.model());
        validateMessages(request.messages());
        blocks.validateBlocks(request.system(), "system", InputMessage.SYSTEM);
        validateSampling(request);
        validateThinking(request.thinking(), request.maxTokens());
        validateTools(request.tools());
        validateToolChoice(request.toolChoice());
    }

    private void validateMessages(List<InputMessage> messages) {
        if (messages == null) {
            throw fail("messages", "Field required");
        }
        if (messages.isEmpty()) {
            throw fail("messages", "at least one message is required");
        }
        for (int i = 0; i < messages.size(); i++) {
            InputMessage message = messages.get(i);
            blocks.validateMessage(message, "messages." + i);
            boolean finalAssistant = i == messages.size() - 1 && message.role().equals(InputMessage.ASSISTANT);
            if (!finalAssistant && isEmpty(message)) {
                throw fail("messages." + i, "all messages must have non-empty content except for the optional final"
                        + " assistant message");
            }
        }
    }

    private static boolean isEmpty(InputMessage message) {
        return message.content().stream().allMatch(b -> b instanceof ContentBlock.Text t && t.text().isEmpty());
    }

    private static void validateSampling(MessagesRequest r) {
        if (r.maxTokens() != null && r.maxTokens() < 1) {
            throw fail("max_tokens", "Input should be greater than or equal to 1 (got " + r.maxTokens() + ")");
        }
        checkUnitRange(r.temperature(), "temperature");
        checkUnitRange(r.topP(), "top_p");
        if (r.topK() != null && r.topK() < 0) {
            throw fail("top_k", "Input should be greater than or equal to 0 (got " + r.topK() + ")");
        }
        for (int i = 0; i < r.stopSequences().size(); i++) {
            if (r.stopSequences().get(i) == null) {
                throw fail("stop_sequences." + i, "Input should be a valid string");
            }
        }
    }

    private static void checkUnitRange(Double value, String path) {
        if (value != null && (value < 0 || value > 1 || value.isNaN())) {
            throw fail(path, "Input should be between 0 and 1 (got " + value + "); Anthropic's range is 0.0 to 1.0");
        }
    }

    private static void validateThinking(ThinkingConfig thinking, Integer maxTokens) {
        if (thinking == null) {
            return;
        }
        if (thinking.type() == null) {
            throw fail("thinking.type", "Field required");
        }
        if (!THINKING_TYPES.contains(thinking.type())) {
            throw fail("thinking.type", "Input should be 'enabled', 'disabled', 'adaptive' or 'between_tools' (got '"
                    + thinking.type() + "')");
        }
        if (!thinking.type().equals("enabled")) {
            return;
        }
        Integer budget = thinking.budgetTokens();
        if (budget == null) {
            throw fail("thinking.enabled.budget_tokens", "Field required");
        }
        if (budget < MIN_THINKING_BUDGET) {
            throw fail("thinking.enabled.budget_tokens", "Input should be greater than or equal to "
                    + MIN_THINKING_BUDGET + " (got " + budget + ")");
        }
        // Without max_tokens the host picks a default later and keeps it above the budget.
        if (maxTokens != null && maxTokens <= budget) {
            throw ApiError.invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens` (got max_tokens "
                    + maxTokens + ", budget_tokens " + budget + "); raise max_tokens or lower the budget. See"
                    + " https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
        }
    }

    private void validateTools(List<ToolDefinition> tools) {
        limits.checkToolCount(tools.size());
        var firstIndexByName = new HashMap<String, Integer>();
        for (int i = 0; i < tools.size(); i++) {
            ToolDefinition tool = tools.get(i);
            if (tool == null) {
                throw fail("tools." + i, "Input should be a valid dictionary");
            }
            if (tool.custom()) {
                validateCustomTool(tool, "tools." + i + ".custom");
            }
            if (tool.name() != null) {
                Integer previous = firstIndexByName.putIfAbsent(tool.name(), i);
                if (previous != null) {
                    throw fail("tools", "Tool names must be unique ('" + tool.name() + "' is both tools." + previous
                            + " and tools." + i + ")");
                }
            }
        }
    }

    private static void validateCustomTool(ToolDefinition tool, String path) {
        if (tool.name() == null) {
            throw fail(path + ".name", "Field required");
        }
        if (!TOOL_NAME.matcher(tool.name()).matches()) {
            throw fail(path + ".name", "String should match pattern '" + TOOL_NAME.pattern() + "' (got '"
                    + tool.name() + "')");
        }
        if (tool.inputSchema() == null) {
            throw fail(path + ".input_schema", "Field required");
        }
        Object type = tool.inputSchema().get("type");
        if (type != null && !"object".equals(type)) {
            throw fail(path + ".input_schema.type", "Input should be 'object' (got " + type + "); wrap the"
                    + " parameter in an object schema");
        }
    }

    private static void validateToolChoice(ToolChoiceParam choice) {
        if (choice == null) {
            return;
        }
        if (choice.type() == null) {
            throw fail("tool_choice.type", "Field required");
        }
        if (!TOOL_CHOICE_TYPES.contains(choice.type())) {
            throw fail("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none' (got '"
                    + choice.type() + "')");
        }
        if (choice.type().equals("tool") && choice.name() == null) {
            throw fail("tool_choice.tool.name", "Field required");
        }
    }

    static ApiError fail(String path, String problem) {
        return ApiError.invalidRequest(path + ": " + problem);
    }
}
