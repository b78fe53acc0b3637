package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.MessageContent.Part;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.PdfNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole message list: one leading system message ({@link SystemPromptMerger}), then each turn in order —
 * assistant turns via {@link AssistantTurnMapper}, user turns as tool messages first ({@link ToolResultOrderer})
 * and then one user message with the remaining content ({@link ContentMapper}).
 */
final class ConversationMapper {

    /**
     * @param messages        the OpenAI messages
     * @param reasoning       prior thinking text ncp signed, by index into {@code messages} (assistant messages only)
     * @param foreignThinking thinking blocks dropped because ncp did not sign them
     */
    record Conversation(List<ChatMessage> messages, Map<Integer, String> reasoning, int foreignThinking) {
    }

    private final SystemPromptMerger systemMerger = new SystemPromptMerger();
    private final AssistantTurnMapper assistantMapper;
    private final ToolResultOrderer orderer;
    private final ContentMapper content;

    ConversationMapper(AssistantTurnMapper assistantMapper, ToolResultOrderer orderer, ContentMapper content) {
        this.assistantMapper = assistantMapper;
        this.orderer = orderer;
        this.content = content;
    }

    /**
     * @param systemHint text ncp adds at the end of the system prompt (e.g. a degraded tool_choice), or null
     */
    Conversation map(MessagesRequest request, ModelInfo model, ToolNames names, String systemHint) {
        SystemPromptMerger.Split split = systemMerger.split(request);
        var messages = new ArrayList<ChatMessage>(split.turns().size() + 8);
        var reasoning = new HashMap<Integer, String>();
        int foreign = 0;
        String systemText = systemHint == null ? split.systemText()
                : split.systemText().isEmpty() ? systemHint : split.systemText() + "\n\n" + systemHint;
        if (!systemText.isEmpty()) {
            messages.add(ChatMessage.system(systemText));
        }
        List<ToolResultOrderer.PendingCall> pending = List.of();
        PdfNames pdfNames = PdfNames.of(request);
        for (Turn turn : split.turns()) {
            if (turn.role().equals(InputMessage.ASSISTANT)) {
                AssistantTurnMapper.Mapped mapped = assistantMapper.map(turn, names);
                if (mapped.reasoning() != null) {
                    reasoning.put(messages.size(), mapped.reasoning());
                }
                messages.add(mapped.message());
                pending = mapped.calls();
                foreign += mapped.foreignThinking();
            } else {
                addUserTurn(turn, pending, model, pdfNames, messages);
                pending = List.of();
            }
        }
        messages.addAll(orderer.unanswered(pending));
        return new Conversation(List.copyOf(messages), Map.copyOf(reasoning), foreign);
    }

    private void addUserTurn(Turn turn, List<ToolResultOrderer.PendingCall> pending, ModelInfo model,
            PdfNames pdfNames, List<ChatMessage> messages) {
        ToolResultOrderer.Ordered ordered = orderer.order(pending, turn, model, pdfNames);
        messages.addAll(ordered.toolMessages());
        var parts = new ArrayList<Part>(ordered.resultAttachments());
        parts.addAll(content.userParts(ordered.rest(), model, pdfNames, !ordered.toolMessages().isEmpty()));
        MessageContent userContent = ContentMapper.toContent(parts);
        if (userContent != null) {
            messages.add(ChatMessage.user(userContent));
        }
    }
}
