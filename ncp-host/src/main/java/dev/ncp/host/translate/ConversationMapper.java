package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.api.openai.MessageContent.Part;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
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
     * @param messages  the OpenAI messages
     * @param reasoning prior thinking text by index into {@code messages} (assistant messages only)
     */
    record Conversation(List<ChatMessage> messages, Map<Integer, String> reasoning) {
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

    Conversation map(MessagesRequest request, ModelInfo model, ToolNames names) {
        SystemPromptMerger.Split split = systemMerger.split(request);
        var messages = new ArrayList<ChatMessage>(split.turns().size() + 8);
        var reasoning = new HashMap<Integer, String>();
        if (!split.systemText().isEmpty()) {
            messages.add(ChatMessage.system(split.systemText()));
        }
        List<ToolResultOrderer.PendingCall> pending = List.of();
        for (Turn turn : split.turns()) {
            if (turn.role().equals(InputMessage.ASSISTANT)) {
                AssistantTurnMapper.Mapped mapped = assistantMapper.map(turn, names);
                if (mapped.reasoning() != null) {
                    reasoning.put(messages.size(), mapped.reasoning());
                }
                messages.add(mapped.message());
                pending = mapped.calls();
            } else {
                addUserTurn(turn, pending, model, messages);
                pending = List.of();
            }
        }
        messages.addAll(orderer.unanswered(pending));
        return new Conversation(List.copyOf(messages), Map.copyOf(reasoning));
    }

    private void addUserTurn(Turn turn, List<ToolResultOrderer.PendingCall> pending, ModelInfo model,
            List<ChatMessage> messages) {
        ToolResultOrderer.Ordered ordered = orderer.order(pending, turn, model);
        messages.addAll(ordered.toolMessages());
        var parts = new ArrayList<Part>(ordered.resultImages());
        parts.addAll(content.userParts(ordered.rest(), model));
        MessageContent userContent = ContentMapper.toContent(parts);
        if (userContent != null) {
            messages.add(ChatMessage.user(userContent));
        }
    }
}
