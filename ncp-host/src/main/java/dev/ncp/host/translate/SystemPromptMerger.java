package dev.ncp.host.translate;

import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Separates the system prompt from the conversation. NVIDIA/vLLM chat templates accept one system message, and only
 * as the first message, so all system text becomes ONE leading system message:
 * <ul>
 *   <li>{@code system} (a string or text blocks, joined with a blank line);</li>
 *   <li>then every {@code role:"system"} message that comes before the first assistant turn, in order. Claude Code
 *       sends its environment notes this way, right after the first user message; folding them up loses nothing
 *       (no model output precedes them) and keeps the prompt prefix identical from request to request, so
 *       upstream prefix caching keeps working.</li>
 * </ul>
 * A system message after an assistant turn says something that holds from that point on (a mode switch, a
 * reminder). Moving it to the top would rewrite history and change the cached prefix on every request, so it stays
 * where it is as a user message prefixed {@code "[system] "}, merged with neighbouring user content.
 * Empty system text is dropped.
 */
final class SystemPromptMerger {

    static final String LATE_SYSTEM_PREFIX = "[system] ";

    /** The leading system text ("" when none) and the user/assistant turns, same-role neighbours merged. */
    record Split(String systemText, List<Turn> turns) {
    }

    Split split(MessagesRequest request) {
        var system = new ArrayList<String>();
        addText(request.system(), system);
        var turns = new ArrayList<Turn>();
        boolean assistantSeen = false;
        for (int m = 0; m < request.messages().size(); m++) {
            InputMessage message = request.messages().get(m);
            switch (message.role()) {
                case InputMessage.SYSTEM -> {
                    if (assistantSeen) {
                        addLateSystem(message, m, turns);
                    } else {
                        addText(message.content(), system);
                    }
                }
                case InputMessage.ASSISTANT -> {
                    assistantSeen = true;
                    append(turns, message.role(), message.content(), m);
                }
                default -> append(turns, message.role(), message.content(), m);
            }
        }
        return new Split(String.join("\n\n", system), turns);
    }

    private static void addText(List<ContentBlock> blocks, List<String> into) {
        for (ContentBlock block : blocks) {
            if (block instanceof ContentBlock.Text t && !t.text().isBlank()) {
                into.add(t.text());
            }
        }
    }

    private static void addLateSystem(InputMessage message, int m, List<Turn> turns) {
        var text = new ArrayList<String>();
        addText(message.content(), text);
        if (!text.isEmpty()) {
            var block = new ContentBlock.Text(LATE_SYSTEM_PREFIX + String.join("\n\n", text));
            append(turns, InputMessage.USER, List.of(block), m);
        }
    }

    private static void append(List<Turn> turns, String role, List<ContentBlock> content, int m) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        Turn turn = last != null && last.role().equals(role) ? last : Turn.of(role);
        if (turn != last) {
            turns.add(turn);
        }
        for (int i = 0; i < content.size(); i++) {
            turn.blocks().add(new Turn.Located(content.get(i), m, i));
        }
    }
}
