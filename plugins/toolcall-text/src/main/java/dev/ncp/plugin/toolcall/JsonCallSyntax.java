package dev.ncp.plugin.toolcall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tool calls written as JSON after a marker, the way most open models' chat templates write them when no server
 * parser catches them:
 * <pre>
 * Hermes (Qwen2.5, Hermes, many fine-tunes)  &lt;tool_call&gt;{"name": "Read", "arguments": {...}}&lt;/tool_call&gt;
 * Nemotron                                   &lt;TOOLCALL&gt;[{"name": "Read", "arguments": {...}}]&lt;/TOOLCALL&gt;
 * Llama 3.x                                  &lt;|python_tag|&gt;{"name": "Read", "parameters": {...}}
 * Mistral                                    [TOOL_CALLS][{"name": "Read", "arguments": {...}}]
 * </pre>
 * After the marker comes one JSON object (a call) or array (calls); each call names its tool in {@code name} and
 * gives its input in {@code arguments} or {@code parameters}, as an object or as a string holding one. The closing
 * marker, where the format has one, may be missing: the call ends with its JSON. A call is read whole and goes out
 * once its JSON is complete; a marker followed by anything but JSON, JSON that is not calls, or a call to a tool the
 * request did not declare (even after {@link DeclaredToolNames}) is given back as the text it was.
 */
final class JsonCallSyntax implements ToolCallSyntax {

    /**
     * One format: its start marker, its closing marker (null when it has none) and whether the start is a special
     * token (dropped when it opens no call) rather than text. Even Llama's and Mistral's markers, special tokens to
     * their tokenizers, stay text when no call follows: a sentence about them must reach the reader whole.
     */
    record Format(String start, String end, boolean token) {
    }

    static final Format HERMES = new Format("<tool_call>", "</tool_call>", false);
    static final Format NEMOTRON = new Format("<TOOLCALL>", "</TOOLCALL>", false);
    static final Format LLAMA = new Format("<|python_tag|>", "<|eom_id|>", false);
    static final Format MISTRAL = new Format("[TOOL_CALLS]", null, false);

    /** A call longer than this is not held any longer: it goes back to being text. */
    static final int MAX_CALL_CHARS = 4 * 1024 * 1024;

    private final Format format;

    JsonCallSyntax(Format format) {
        this.format = format;
    }

    @Override
    public List<String> callStarts() {
        return List.of(format.start());
    }

    @Override
    public List<String> strayTokens() {
        return List.of();
    }

    @Override
    public boolean startIsToken(String start) {
        return format.token();
    }

    @Override
    public CallReader reader(String start, ToolCatalog tools) {
        return new Reader(format, tools);
    }

    /** The calls in a complete JSON text (one call object or an array of them), or null when it holds none. */
    static List<RecoveredCall> calls(String json, ToolCatalog tools) {
        List<String> objects = json.strip().startsWith("[") ? JsonText.elements(json) : List.of(json);
        if (objects == null || objects.isEmpty()) {
            return null;
        }
        var calls = new ArrayList<RecoveredCall>(objects.size());
        for (String object : objects) {
            RecoveredCall call = call(object, tools);
            if (call == null) {
                return null;
            }
            calls.add(call);
        }
        return calls;
    }

    private static RecoveredCall call(String object, ToolCatalog tools) {
        Map<String, String> members = JsonText.members(object);
        String name = members == null ? null : members.get("name");
        if (name == null || !name.startsWith("\"")) {
            return null;
        }
        String tool = tools.resolve(JsonText.unquote(name).strip());
        if (tool == null) {
            return null;
        }
        String input = members.containsKey("arguments") ? members.get("arguments") : members.get("parameters");
        if (input == null) {
            input = "{}";
        } else if (input.startsWith("\"")) {
            input = JsonText.unquote(input).strip(); // arguments as a string, as OpenAI's own format has them
            input = input.isEmpty() ? "{}" : input;
        }
        return JsonText.isObject(input) ? new RecoveredCall(tool, null, List.of(input.strip())) : null;
    }

    private static final class Reader extends CallReader {

        private enum Phase { BEFORE_JSON, JSON, AFTER_JSON }

        private final Format format;
        private final ToolCatalog tools;
        private Phase phase = Phase.BEFORE_JSON;
        private int jsonStart;
        private int jsonEnd;
        private int depth;
        private boolean inString;
        private boolean escaped;
        private List<RecoveredCall> calls;

        Reader(Format format, ToolCatalog tools) {
            super(format.start());
            this.format = format;
            this.tools = tools;
        }

        @Override
        protected Status advance() {
            if (raw.length() - start.length() > MAX_CALL_CHARS) {
                return Status.MALFORMED;
            }
            if (phase == Phase.BEFORE_JSON) {
                skipWhitespace();
                if (atEnd()) {
                    return Status.NEED_MORE;
                }
                char first = raw.charAt(pos);
                if (first != '{' && first != '[') {
                    return Status.MALFORMED;
                }
                jsonStart = pos;
                phase = Phase.JSON;
            }
            if (phase == Phase.JSON) {
                if (!readJson()) {
                    return Status.NEED_MORE;
                }
                phase = Phase.AFTER_JSON;
            }
            if (format.end() == null) {
                return completeAt(jsonEnd);
            }
            skipWhitespace();
            if (atEnd()) {
                return Status.NEED_MORE;
            }
            return switch (take(format.end())) {
                case YES -> completeAt(pos);
                case PARTIAL -> Status.NEED_MORE;
                case NO -> completeAt(jsonEnd); // a missing closing marker is forgiven
            };
        }

        @Override
        Status finish() {
            if (phase != Phase.AFTER_JSON) {
                return Status.MALFORMED;
            }
            skipWhitespace();
            // the text ended after the JSON, maybe inside the closing marker: the call is whole
            boolean closing = format.end() != null && (atEnd() || take(format.end()) == Match.PARTIAL);
            return completeAt(closing ? raw.length() : jsonEnd);
        }

        @Override
        RecoveredCall call() {
            return calls.get(0);
        }

        @Override
        List<RecoveredCall> calls() {
            return calls;
        }

        private Status completeAt(int callEnd) {
            calls = JsonCallSyntax.calls(raw.substring(jsonStart, jsonEnd), tools);
            if (calls == null) {
                return Status.MALFORMED;
            }
            end = callEnd;
            return Status.COMPLETE;
        }

        /** Moves through the JSON; true once its top-level object or array has closed. */
        private boolean readJson() {
            while (pos < raw.length()) {
                char c = raw.charAt(pos++);
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    jsonEnd = pos;
                    return true;
                }
            }
            return false;
        }
    }
}
