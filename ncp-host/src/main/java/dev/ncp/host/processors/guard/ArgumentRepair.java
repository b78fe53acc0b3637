package dev.ncp.host.processors.guard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads a tool call's arguments as the JSON object they were meant to be. Well-formed JSON is read as it is; else
 * the mistakes open models make are undone, in this order: a markdown fence around the JSON ({@code ```json}),
 * Python's {@code True}/{@code False}/{@code None}, a string or object the text ended inside (closed at the end:
 * the call is over, nothing more will come), and — by Jackson's lenient reader — trailing commas, single-quoted
 * keys and strings, and unquoted keys. Arguments sent as a JSON string holding the object are unwrapped. What still
 * does not read as an object is {@link Unreadable}.
 */
final class ArgumentRepair {

    /** What reading the arguments gave. */
    sealed interface Outcome {
    }

    /** The arguments were a well-formed JSON object. */
    record WellFormed(ObjectNode input) implements Outcome {
    }

    /** The arguments needed {@code fixes} (short names, for the log and the dashboard) to read as {@code input}. */
    record Repaired(ObjectNode input, List<String> fixes) implements Outcome {
    }

    /** Nothing made an object of the arguments. */
    record Unreadable() implements Outcome {
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    Outcome read(String text) {
        JsonNode strict = parse(STRICT, text);
        if (strict instanceof ObjectNode object) {
            return new WellFormed(object);
        }
        if (strict != null && strict.isTextual()) {
            // Arguments double-encoded as a JSON string: unwrapped once (a string in a string is not followed).
            return repaired(strict.asText(), new ArrayList<>(List.of("unwrapped string")));
        }
        return strict != null ? new Unreadable() : repaired(text, new ArrayList<>()); // JSON, but not an object
    }

    /** {@code text} read after undoing the mistakes it has; {@code fixes} so far, added to. */
    private Outcome repaired(String text, List<String> fixes) {
        String s = text.strip();
        String unfenced = withoutFence(s);
        if (!unfenced.equals(s)) {
            fixes.add("fence");
            s = unfenced;
        }
        var scan = new Scan(s);
        if (!scan.pythonLiterals.equals(s)) {
            fixes.add("python literals");
            s = scan.pythonLiterals;
        }
        if (!scan.closing.isEmpty()) {
            fixes.add("closed");
            s = s + scan.closing;
        }
        JsonNode fixed = parse(STRICT, s);
        if (!(fixed instanceof ObjectNode)) {
            fixed = parse(LENIENT, s);
            fixes.add("lenient syntax"); // trailing commas, single quotes or unquoted keys
        }
        return fixed instanceof ObjectNode object ? new Repaired(object, fixes) : new Unreadable();
    }

    private static JsonNode parse(ObjectMapper mapper, String text) {
        try (JsonParser parser = mapper.createParser(text)) {
            return mapper.readTree(parser);
        } catch (IOException notJson) {
            return null;
        }
    }

    /**
     * The text inside a markdown code fence ({@code ```json ... ```}, or only its closing {@code ```}), or the text
     * itself when it has none.
     */
    static String withoutFence(String s) {
        if (!s.startsWith("```")) {
            return s.endsWith("```") ? s.substring(0, s.length() - 3).strip() : s; // only the closing fence came
        }
        int lineEnd = s.indexOf('\n');
        String info = lineEnd < 0 ? "" : s.substring(3, lineEnd).strip();
        String body;
        if (lineEnd >= 0 && info.chars().allMatch(Character::isLetterOrDigit)) {
            body = s.substring(lineEnd + 1); // ```json
        } else {
            int open = 3;
            while (open < s.length() && Character.isLetter(s.charAt(open))) {
                open++; // ```json{"a":1}``` on one line
            }
            body = s.substring(open);
        }
        body = body.strip();
        if (body.endsWith("```")) {
            body = body.substring(0, body.length() - 3);
        }
        return body.strip();
    }

    /**
     * One pass over the text outside its strings (double- or single-quoted): Python's literals replaced by JSON's,
     * and what closes the strings, objects and arrays still open at the end.
     */
    private static final class Scan {
        final String pythonLiterals;
        final String closing;

        Scan(String s) {
            var out = new StringBuilder(s.length());
            Deque<Character> open = new ArrayDeque<>();
            char quote = 0;
            boolean escaped = false;
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (quote != 0) {
                    out.append(c);
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == quote) {
                        quote = 0;
                    }
                    i++;
                    continue;
                }
                if (Character.isLetter(c)) {
                    int end = i;
                    while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                        end++;
                    }
                    String word = s.substring(i, end);
                    out.append(switch (word) {
                        case "True" -> "true";
                        case "False" -> "false";
                        case "None" -> "null";
                        default -> word;
                    });
                    i = end;
                    continue;
                }
                switch (c) {
                    case '"', '\'' -> quote = c;
                    case '{' -> open.push('}');
                    case '[' -> open.push(']');
                    case '}', ']' -> {
                        if (!open.isEmpty() && open.peek() == c) {
                            open.pop();
                        }
                    }
                    default -> { }
                }
                out.append(c);
                i++;
            }
            var close = new StringBuilder();
            if (quote != 0) {
                close.append(escaped ? "\\" : "").append(quote);
            }
            open.forEach(close::append);
            this.pythonLiterals = out.toString();
            this.closing = close.toString();
        }
    }
}
