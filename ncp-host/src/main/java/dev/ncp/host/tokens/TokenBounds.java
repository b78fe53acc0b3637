package dev.ncp.host.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.ToolDefinition;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Bounds of {@link TokenEstimator#estimate}, from text lengths alone (a few microseconds for 100 KB, where
 * tokenizing takes milliseconds). It walks the request as the estimate does, with the same framing constants;
 * only what the tokenizer would count is bounded:
 * <ul>
 *   <li>upper: cl100k is a byte-level BPE, every token at least one byte, so a text has at most as many tokens as
 *       UTF-8 bytes (a {@code char} is at most 3 bytes, a surrogate pair 4);</li>
 *   <li>lower: cl100k's longest token is {@value #LONGEST_TOKEN_BYTES} bytes (a run of spaces; checked against
 *       the vocabulary by a test) and every {@code char} is at least one byte, so at least chars / 128;</li>
 *   <li>JSON the estimate writes out (tool inputs, schemas) is bounded by what the writer can emit per character
 *       (escapes at most 6 bytes), without writing it; its lower bound is taken as 0.</li>
 * </ul>
 * Texts and tools whose exact counts the estimator remembers count exactly in both bounds.
 */
final class TokenBounds {

    static final int LONGEST_TOKEN_BYTES = 128;
    private static final long UNBOUNDED = Integer.MAX_VALUE;

    record Range(long lower, long upper) {
        Range plus(Range other) {
            return new Range(lower + other.lower, upper + other.upper);
        }

        Range plus(long exact) {
            return new Range(lower + exact, upper + exact);
        }
    }

    private static final Range ZERO = new Range(0, 0);

    private final Function<String, Integer> knownText;
    private final Function<TokenEstimator.CustomTool, Integer> knownTool;
    private final ToIntFunction<ContentBlock.Unknown> unknownTokensUpper;

    /**
     * @param knownText          the remembered count of a text, or null
     * @param knownTool          the remembered count of a custom tool, or null
     * @param unknownTokensUpper at least the count of an unknown block's description
     */
    TokenBounds(Function<String, Integer> knownText, Function<TokenEstimator.CustomTool, Integer> knownTool,
                ToIntFunction<ContentBlock.Unknown> unknownTokensUpper) {
        this.knownText = knownText;
        this.knownTool = knownTool;
        this.unknownTokensUpper = unknownTokensUpper;
    }

    Range of(MessagesRequest request) {
        Range total = blocks(request.system()).plus(TokenEstimator.PER_REQUEST);
        if (!request.system().isEmpty()) {
            total = total.plus(TokenEstimator.PER_MESSAGE);
        }
        for (InputMessage message : request.messages()) {
            total = total.plus(blocks(message.content())).plus(TokenEstimator.PER_MESSAGE);
        }
        return total.plus(tools(request.tools()));
    }

    private Range blocks(List<ContentBlock> blocks) {
        Range total = ZERO;
        for (ContentBlock block : blocks) {
            total = total.plus(block(block));
        }
        return total;
    }

    private Range block(ContentBlock block) {
        return switch (block) {
            case ContentBlock.Text t -> text(t.text());
            case ContentBlock.Image i -> new Range(1, TokenEstimator.FLAT_IMAGE); // the image rule's range
            case ContentBlock.Document d -> document(d);
            case ContentBlock.ToolUse u -> text(u.name()).plus(new Range(0, json(u.input())))
                    .plus(TokenEstimator.PER_TOOL_CALL);
            case ContentBlock.ToolResult r ->
                    (r.content() == null ? ZERO : blocks(r.content())).plus(TokenEstimator.PER_TOOL_CALL);
            case ContentBlock.Thinking t -> ZERO;
            case ContentBlock.RedactedThinking r -> ZERO;
            case ContentBlock.Unknown u -> new Range(0, unknownTokensUpper.applyAsInt(u));
        };
    }

    private Range document(ContentBlock.Document d) {
        Range header = text(d.title()).plus(text(d.context())).plus(3);
        return header.plus(switch (d.source().type()) {
            case "text" -> text(d.source().data());
            case "content" -> blocks(d.source().content());
            case "base64" -> new Range(0, UNBOUNDED); // a PDF's pages are not known without reading it
            default -> new Range(TokenEstimator.FLAT_IMAGE, TokenEstimator.FLAT_IMAGE);
        });
    }

    private Range tools(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return ZERO;
        }
        Range total = new Range(TokenEstimator.TOOLS_PREAMBLE, TokenEstimator.TOOLS_PREAMBLE);
        for (ToolDefinition tool : tools) {
            total = total.plus(TokenEstimator.PER_TOOL).plus(tool.custom() ? customTool(tool)
                    : text(tool.name()).plus(text(tool.description())).plus(TokenEstimator.ANTHROPIC_DEFINED_TOOL));
        }
        return total;
    }

    private Range customTool(ToolDefinition tool) {
        Integer known = knownTool.apply(new TokenEstimator.CustomTool(tool.name(), tool.description(),
                tool.inputSchema()));
        if (known != null) {
            return new Range(known, known);
        }
        return text(tool.name()).plus(text(tool.description()))
                .plus(new Range(0, tool.inputSchema() == null ? 4 : jsonValue(tool.inputSchema())));
    }

    Range text(String text) {
        if (text == null || text.isEmpty()) {
            return ZERO;
        }
        Integer known = text.length() < TokenEstimator.CACHED_MIN_CHARS ? null : knownText.apply(text);
        if (known != null) {
            return new Range(known, known);
        }
        return new Range((text.length() + LONGEST_TOKEN_BYTES - 1) / LONGEST_TOKEN_BYTES, utf8BytesAtMost(text));
    }

    /** At least the UTF-8 length of {@code text}: 1 byte below U+0080, 2 below U+0800, else 3 (a pair: 4 for 2). */
    static long utf8BytesAtMost(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
    }

    /** At least the length of {@code node} written as compact JSON. */
    private static long json(JsonNode node) {
        if (node == null) {
            return 4;
        }
        if (node.isTextual()) {
            return jsonString(node.textValue());
        }
        if (node.isContainerNode()) {
            long total = 2 + node.size(); // brackets, separators
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    total += jsonString(field.getKey()) + 1 + json(field.getValue());
                }
            } else {
                for (JsonNode element : node) {
                    total += json(element);
                }
            }
            return total;
        }
        return node.toString().length(); // numbers, booleans, null, binary: short ASCII
    }

    private static long jsonValue(Object value) {
        return switch (value) {
            case null -> 4;
            case String s -> jsonString(s);
            case Map<?, ?> map -> {
                long total = 2 + map.size();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    total += jsonString(String.valueOf(entry.getKey())) + 1 + jsonValue(entry.getValue());
                }
                yield total;
            }
            case List<?> list -> {
                long total = 2 + list.size();
                for (Object element : list) {
                    total += jsonValue(element);
                }
                yield total;
            }
            case Number n -> n.toString().length() + 2; // room for a writer's own number format
            case Boolean b -> 5;
            case JsonNode n -> json(n);
            default -> UNBOUNDED; // not seen from a parsed request: let the exact count decide
        };
    }

    /** A JSON string: quotes, and at most 6 bytes per character (a {@code \\uXXXX} escape). */
    private static long jsonString(String s) {
        long total = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            total += c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? 1 : 6;
        }
        return total;
    }
}
