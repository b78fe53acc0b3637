package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.ToolChoice;
import dev.ncp.host.anthropic.ToolChoiceParam;
import dev.ncp.host.error.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anthropic {@code tool_choice} → OpenAI: {@code auto} → "auto", {@code any} → "required", {@code tool} → that
 * function (by its upstream name), {@code none} → "none"; {@code disable_parallel_tool_use: true} →
 * {@code parallel_tool_calls: false}. A request without tools sends neither field (upstreams reject a choice
 * without tools).
 *
 * <p>Some models reject a forced choice ({@code ModelInfo.Capabilities.forcedToolChoice} false). They get "auto"
 * and a line at the end of the system prompt that asks for the call instead — weaker than a forced choice, but an
 * answer rather than a 400. Each degradation is logged.
 */
final class ToolChoiceMapper {

    private static final Logger log = LoggerFactory.getLogger(ToolChoiceMapper.class);

    /** The two OpenAI fields (null means "not sent") and the system hint replacing a forced choice, else null. */
    record Choice(ToolChoice toolChoice, Boolean parallelToolCalls, String systemHint) {
        static final Choice NOT_SENT = new Choice(null, null, null);
    }

    Choice map(ToolChoiceParam param, ToolNames names, boolean hasTools, ModelInfo model) {
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
        boolean forced = choice instanceof ToolChoice.Function || choice.equals(ToolChoice.REQUIRED);
        if (!forced || model.capabilities().forcedToolChoice()) {
            return new Choice(choice, parallel, null);
        }
        String hint = choice instanceof ToolChoice.Function f
                ? "You must call the tool " + f.name() + " in your next response."
                : "You must call one of the tools in your next response; do not answer with text alone.";
        log.info("tool_choice {}: {} rejects a forced tool choice; sending auto with a system hint", param.type(),
                model.id());
        return new Choice(ToolChoice.AUTO, parallel, hint);
    }

    private static ToolChoice named(String name, ToolNames names) {
        if (!names.asMap().containsValue(name)) {
            throw ApiError.invalidRequest("tool_choice.name: '" + name + "' is not one of the request's tools;"
                    + " name a tool from tools, or use tool_choice type 'any'");
        }
        return new ToolChoice.Function(names.upstream(name));
    }
}
