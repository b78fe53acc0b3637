package dev.ncp.host.translate;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.openai.ChatMessage;
import dev.ncp.api.openai.MessageContent.ImagePart;
import dev.ncp.api.openai.MessageContent.Part;
import dev.ncp.api.openai.MessageContent.TextPart;
import dev.ncp.api.openai.MessageContent;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.PdfNames;
import dev.ncp.host.error.ApiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the previous assistant turn's tool calls with OpenAI {@code tool} messages. Upstream chat templates insist
 * that every tool call is followed by exactly one tool message carrying its id, before any other message, so:
 * <ul>
 *   <li>tool messages come first, in the order of the assistant's tool_use blocks (not the order of the results);</li>
 *   <li>a call without a result gets a synthetic "No result was provided for this tool call." message;</li>
 *   <li>a result for a call the previous assistant turn did not make is a 400, worded as Anthropic words it;</li>
 *   <li>images (vision models) and PDFs (pdf models) in results cannot ride in a tool message on most upstreams:
 *       they are returned as parts for the user message that follows.</li>
 * </ul>
 */
final class ToolResultOrderer {

    static final String NO_RESULT = "No result was provided for this tool call.";

    /** A tool call awaiting its result: the client's toolu id and the id sent upstream. */
    record PendingCall(String clientId, String upstreamId) {
    }

    /** The tool messages, the user turn's other blocks, and result images and files to put before them. */
    record Ordered(List<ChatMessage> toolMessages, List<Turn.Located> rest, List<Part> resultAttachments) {
    }

    private final ContentMapper content;

    ToolResultOrderer(ContentMapper content) {
        this.content = content;
    }

    Ordered order(List<PendingCall> pending, Turn userTurn, ModelInfo model, PdfNames pdfNames) {
        var results = new LinkedHashMap<String, ContentMapper.ToolResultContent>();
        var rest = new ArrayList<Turn.Located>();
        var awaited = new LinkedHashMap<String, PendingCall>();
        pending.forEach(call -> awaited.put(call.clientId(), call));
        for (Turn.Located located : userTurn.blocks()) {
            if (located.block() instanceof ContentBlock.ToolResult result) {
                results.put(result.toolUseId(), checked(result, located, awaited, results, model, pdfNames));
            } else {
                rest.add(located);
            }
        }
        return new Ordered(toolMessages(pending, results), rest, attachments(pending, results));
    }

    /** Synthetic answers for calls no user turn followed (the conversation ended on them). */
    List<ChatMessage> unanswered(List<PendingCall> pending) {
        return toolMessages(pending, Map.of());
    }

    private ContentMapper.ToolResultContent checked(ContentBlock.ToolResult result, Turn.Located at,
            Map<String, PendingCall> awaited, Map<String, ?> seen, ModelInfo model, PdfNames pdfNames) {
        String id = result.toolUseId();
        if (!awaited.containsKey(id)) {
            throw ApiError.invalidRequest(at.path() + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                    + id + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous"
                    + " message.");
        }
        if (seen.containsKey(id)) {
            throw ApiError.invalidRequest(at.path() + ": a second `tool_result` for tool_use_id " + id
                    + "; send exactly one result per tool call.");
        }
        return content.toolResult(result, at.path(), model, pdfNames);
    }

    private static List<ChatMessage> toolMessages(List<PendingCall> pending,
            Map<String, ContentMapper.ToolResultContent> results) {
        var messages = new ArrayList<ChatMessage>(pending.size());
        for (PendingCall call : pending) {
            ContentMapper.ToolResultContent result = results.get(call.clientId());
            String text = result == null ? NO_RESULT : result.text();
            messages.add(ChatMessage.tool(call.upstreamId(), new MessageContent.Text(text)));
        }
        return messages;
    }

    private static List<Part> attachments(List<PendingCall> pending,
            Map<String, ContentMapper.ToolResultContent> results) {
        var parts = new ArrayList<Part>();
        for (PendingCall call : pending) {
            ContentMapper.ToolResultContent result = results.get(call.clientId());
            if (result != null && !result.attachments().isEmpty()) {
                boolean onlyImages = result.attachments().stream().allMatch(ImagePart.class::isInstance);
                parts.add(new TextPart((onlyImages ? "Images" : "Files") + " returned by tool call "
                        + call.upstreamId() + ":"));
                parts.addAll(result.attachments());
            }
        }
        return parts;
    }
}
