package dev.ncp.host.processors.guard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Open models sometimes loop: the same tool call, the same result, again and again, until the client's turn limit.
 * When the last three assistant turns of a request made the same tool call(s) with the same input and got the same
 * result(s), the upstream request gets a short note for the model saying so, appended to its last message (the
 * results): a new message there could break a chat template that wants roles to alternate, and the end of the
 * conversation keeps the upstream's prompt cache of everything before it. What the client sent is not changed, and
 * its next request (with a different result, or a fourth repeat) is judged afresh.
 */
public final class LoopNote {

    /** How many identical turns make a loop. */
    static final int REPEATS = 3;

    /** The upstream request, with the note when it got one, and the intervention to report. */
    public record Noted(ChatRequest chat, Optional<GuardIntervention> intervention) {
    }

    private final boolean enabled;

    /** @param enabled {@code NCP_GUARD_LOOP_NOTE} */
    public LoopNote(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@code chat} (translated from {@code request}) with a note for the model when the request ends in a loop. */
    public Noted apply(MessagesRequest request, ChatRequest chat) {
        if (!enabled || chat.messages().isEmpty()) {
            return new Noted(chat, Optional.empty());
        }
        return repeatedTool(request.messages())
                .map(tool -> new Noted(withNote(chat, note(tool)),
                        Optional.of(new GuardIntervention(GuardKind.LOOP_NOTE, tool,
                                REPEATS + " identical calls with identical results"))))
                .orElseGet(() -> new Noted(chat, Optional.empty()));
    }

    /** The text the model reads. */
    static String note(String tool) {
        return "[Note from the proxy: your last " + REPEATS + " turns called the tool " + tool + " with the same"
                + " input, and it returned the same result each time. Calling it again the same way will return the"
                + " same result: change the input, try another approach, or tell the user what is in the way.]";
    }

    /** The tool (the first one's name, when a turn made several calls) the request's last turns repeat, if any. */
    static Optional<String> repeatedTool(List<InputMessage> messages) {
        List<Round> rounds = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && rounds.size() < REPEATS; i--) {
            if (InputMessage.ASSISTANT.equals(messages.get(i).role())) {
                Round round = Round.of(messages, i);
                if (round == null) {
                    return Optional.empty();
                }
                rounds.add(round);
            }
        }
        if (rounds.size() < REPEATS || !rounds.stream().allMatch(rounds.get(0)::equals)) {
            return Optional.empty();
        }
        return Optional.of(rounds.get(0).calls().get(0).name());
    }

    private static ChatRequest withNote(ChatRequest chat, String note) {
        List<ChatMessage> messages = new ArrayList<>(chat.messages());
        ChatMessage last = messages.get(messages.size() - 1);
        MessageContent content = switch (last.content()) {
            case null -> new MessageContent.Text(note);
            case MessageContent.Text t -> new MessageContent.Text(t.text() + "\n\n" + note);
            case MessageContent.Parts p -> {
                var parts = new ArrayList<>(p.parts());
                parts.add(new MessageContent.TextPart(note));
                yield new MessageContent.Parts(parts);
            }
        };
        messages.set(messages.size() - 1, last.withContent(content));
        return chat.withMessages(messages);
    }

    /** One call as compared: its tool and its input (object equality ignores member order). */
    private record Call(String name, JsonNode input) {
    }

    /** One result as compared: its content and whether it was an error (its tool_use id differs every time). */
    private record Result(List<ContentBlock> content, boolean failed) {
    }

    /** An assistant turn's tool calls and the results the next user turn gave them. */
    private record Round(List<Call> calls, List<Result> results) {

        /** The round of the assistant turn at {@code index}, or null when it made no call or got no results. */
        static Round of(List<InputMessage> messages, int index) {
            var calls = new ArrayList<Call>();
            var ids = new ArrayList<String>();
            for (ContentBlock block : messages.get(index).content()) {
                if (block instanceof ContentBlock.ToolUse use) {
                    calls.add(new Call(use.name(), use.input()));
                    ids.add(use.id());
                }
            }
            InputMessage answer = index + 1 < messages.size() ? messages.get(index + 1) : null;
            if (calls.isEmpty() || answer == null || !InputMessage.USER.equals(answer.role())) {
                return null;
            }
            var results = new ArrayList<Result>();
            for (String id : ids) {
                Result result = null;
                for (ContentBlock block : answer.content()) {
                    if (block instanceof ContentBlock.ToolResult r && id.equals(r.toolUseId())) {
                        result = new Result(r.content() == null ? List.of() : r.content(), r.failed());
                    }
                }
                if (result == null) {
                    return null;
                }
                results.add(result);
            }
            return new Round(calls, results);
        }
    }
}
