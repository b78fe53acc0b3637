package dev.ncp.host.translate;

import dev.ncp.api.openai.ChatMessage.ToolCall;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.UnknownBlockText;
import dev.ncp.host.error.ApiError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * An assistant turn from history → one OpenAI assistant message: text blocks → {@code content}, tool_use blocks →
 * {@code tool_calls} (id through {@link ToolIdCodec#toUpstream}, name through {@link ToolNames#upstream}, arguments
 * the input as compact JSON). Thinking is never forwarded raw: the text of blocks ncp signed (checked by
 * {@link HistoryThinking}) is handed back separately so a model adapter may return it as {@code reasoning_content}
 * to families that want it; thinking signed elsewhere and redacted thinking are dropped.
 */
final class AssistantTurnMapper {

    /**
     * The message, the calls it makes (awaiting results), the turn's verified thinking text (null when none), and
     * how many thinking blocks were dropped as signed elsewhere.
     */
    record Mapped(ChatMessage message, List<ToolResultOrderer.PendingCall> calls, String reasoning,
                  int foreignThinking) {
    }

    private final ToolIdCodec ids;
    private final UnknownBlockText unknown;
    private final HistoryThinking history;

    AssistantTurnMapper(ToolIdCodec ids, UnknownBlockText unknown, HistoryThinking history) {
        this.ids = ids;
        this.unknown = unknown;
        this.history = history;
    }

    Mapped map(Turn turn, ToolNames names) {
        var text = new ArrayList<String>();
        var thinking = new ArrayList<String>();
        var calls = new ArrayList<ToolCall>();
        var pending = new ArrayList<ToolResultOrderer.PendingCall>();
        var seenIds = new HashSet<String>();
        int foreign = 0;
        for (Turn.Located located : turn.blocks()) {
            switch (located.block()) {
                case ContentBlock.Text t -> addIfPresent(text, t.text());
                case ContentBlock.Thinking t -> {
                    var verified = history.verifiedText(t, located.path());
                    if (verified.isPresent()) {
                        addIfPresent(thinking, verified.get());
                    } else {
                        foreign++;
                    }
                }
                case ContentBlock.ToolUse use -> {
                    if (!seenIds.add(use.id())) {
                        throw ApiError.invalidRequest(located.path() + ".id: `tool_use` ids must be unique within"
                                + " a turn (" + use.id() + " appears twice)");
                    }
                    String upstreamId = ids.toUpstream(use.id());
                    calls.add(new ToolCall(upstreamId,
                            new ToolCall.FunctionCall(names.upstream(use.name()), use.input().toString())));
                    pending.add(new ToolResultOrderer.PendingCall(use.id(), upstreamId));
                }
                case ContentBlock.Unknown u -> addIfPresent(text, unknown.textOf(u, located.path()));
                default -> { } // redacted thinking; images/documents are not assistant content
            }
        }
        // An assistant message needs content or tool calls; "" keeps a thinking-only turn in its place.
        MessageContent content = !text.isEmpty() ? new MessageContent.Text(String.join("\n", text))
                : calls.isEmpty() ? new MessageContent.Text("") : null;
        var message = new ChatMessage("assistant", content, calls, null, null);
        return new Mapped(message, pending, thinking.isEmpty() ? null : String.join("\n", thinking), foreign);
    }

    private static void addIfPresent(List<String> into, String value) {
        if (value != null && !value.isEmpty()) {
            into.add(value);
        }
    }
}
