package dev.ncp.host.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block types Anthropic accepts that ncp does not model. Such blocks appear in history when a conversation began on
 * Anthropic's API (server tools ran there) or when a client tool returns them; NIM cannot take them as they are.
 * Each is either told to the model as text, or dropped with a log line — never a 400:
 * <pre>
 * server_tool_use                    "[server tool call NAME: INPUT]"
 * web_search_tool_result             "[web search results]" + one "- title (url)" line per result, or the error
 * web_fetch_tool_result              "[web fetch: URL]" + the fetched text when it is plain text
 * *code_execution_tool_result        "[code execution result]" + stdout/stderr
 * search_result                      "[search result: TITLE (SOURCE)]" + its text blocks
 * tool_reference                     "[tool reference: NAME]" (ncp loads every tool, so the tool is callable)
 * container_upload, anything else    dropped, logged
 * </pre>
 */
public final class UnknownBlockText {

    private static final Logger log = LoggerFactory.getLogger(UnknownBlockText.class);

    /** The text standing for {@code block}, or null when the block is dropped (and logged as such). */
    public String textOf(ContentBlock.Unknown block, String path) {
        String text = describe(block);
        if (text == null) {
            log.info("dropped a '{}' content block at {}: it has no meaning for an OpenAI-compatible upstream",
                    block.type(), path);
        }
        return text;
    }

    /** Like {@link #textOf} without the log line (for token estimates). */
    public String describe(ContentBlock.Unknown block) {
        String type = block.type();
        return switch (type) {
            case "server_tool_use" -> "[server tool call " + block.text("name") + ": " + json(block, "input") + "]";
            case "web_search_tool_result" -> webSearch(block.fields().get("content"));
            case "web_fetch_tool_result" -> webFetch(block.fields().get("content"));
            case "search_result" -> searchResult(block);
            case "tool_reference" -> "[tool reference: " + block.text("tool_name") + "]";
            default -> type.endsWith("code_execution_tool_result") ? codeExecution(block.fields().get("content")) : null;
        };
    }

    private static String json(ContentBlock.Unknown block, String field) {
        JsonNode node = block.fields().get(field);
        return node == null ? "{}" : node.toString();
    }

    private static String webSearch(JsonNode content) {
        if (content == null) {
            return "[web search results: none]";
        }
        if (!content.isArray()) {
            return "[web search failed: " + content.path("error_code").asText("unknown error") + "]";
        }
        var sb = new StringBuilder("[web search results]");
        for (JsonNode result : content) {
            sb.append("\n- ").append(result.path("title").asText("")).append(" (")
                    .append(result.path("url").asText("")).append(')');
        }
        return sb.toString();
    }

    private static String webFetch(JsonNode content) {
        if (content == null || !content.has("url")) {
            return "[web fetch failed: " + (content == null ? "no content" : content.path("error_code").asText()) + "]";
        }
        JsonNode source = content.path("content").path("source");
        String body = "text".equals(source.path("type").asText()) ? "\n" + source.path("data").asText() : "";
        return "[web fetch: " + content.path("url").asText() + "]" + body;
    }

    private static String codeExecution(JsonNode content) {
        if (content == null) {
            return "[code execution result]";
        }
        var sb = new StringBuilder("[code execution result]");
        appendIfPresent(sb, "stdout", content.path("stdout").asText(""));
        appendIfPresent(sb, "stderr", content.path("stderr").asText(""));
        if (content.has("error_code")) {
            appendIfPresent(sb, "error", content.path("error_code").asText());
        }
        return sb.toString();
    }

    private static void appendIfPresent(StringBuilder sb, String label, String value) {
        if (!value.isEmpty()) {
            sb.append('\n').append(label).append(":\n").append(value);
        }
    }

    private static String searchResult(ContentBlock.Unknown block) {
        var sb = new StringBuilder("[search result: ").append(block.text("title")).append(" (")
                .append(block.text("source")).append(")]");
        JsonNode content = block.fields().get("content");
        if (content != null) {
            for (JsonNode part : content) {
                if (part.has("text")) {
                    sb.append('\n').append(part.get("text").asText());
                }
            }
        }
        return sb.toString();
    }
}
