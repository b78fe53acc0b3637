package dev.ncp.host.translate;

import dev.ncp.api.openai.ToolChoice;
import dev.ncp.host.anthropic.ToolChoiceParam;
import dev.ncp.host.http.ApiError;

/**
 * Anthropic {@code tool_choice} → OpenAI: {@code auto} → "auto", {@code any} → "required", {@code tool} → that
 * function (by its upstream name), {@code none} → "none"; {@code disable_parallel_tool_use: true} →
 * {@code parallel_tool_calls: false}. A request without tools sends neither field (upstreams reject a choice
 * without tools).
 */
final class ToolChoiceMapper {

    /** The two OpenAI fields; null means "not sent". */
    record Choice(ToolChoice toolChoice, Boolean parallelToolCalls) {
        static final Choice NOT_SENT = new Choice(null, null);
    }

    Choice map(ToolChoiceParam param, ToolNames names, boolean hasTools) {
        if (!hasTools || param == null) {
            return Choice.NOT_SENT;
        }
        ToolChoice choice = switch (param.type()) {
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> named(param.name(), names);
            default -> ToolChoice.AUTO;
        };
        Boolean parallel = Boolean.TRUE.equals(param.disableParallelToolUse()) ? Boolean.FALSE : null;
        return new Choice(choice, parallel);
    }

    private static ToolChoice named(String name, ToolNames names) {
        if (!names.asMap().containsValue(name)) {
            throw ApiError.invalidRequest("tool_choice.name: '" + name + "' is not one of the request's tools;"
                    + " name a tool from tools, or use tool_choice type 'any'");
        }
        return new ToolChoice.Function(names.upstream(name));
    }
}
