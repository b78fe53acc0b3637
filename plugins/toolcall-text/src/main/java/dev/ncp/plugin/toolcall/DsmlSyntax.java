package dev.ncp.plugin.toolcall;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DeepSeek V4's tool calls in its DSML markup, when they reach the content as text (the bars are U+FF5C):
 * <pre>
 * &lt;｜DSML｜tool_calls&gt;
 * &lt;｜DSML｜invoke name="Grep"&gt;
 * &lt;｜DSML｜parameter name="pattern" string="true"&gt;FIXME&lt;/｜DSML｜parameter&gt;
 * &lt;｜DSML｜parameter name="limit" string="false"&gt;20&lt;/｜DSML｜parameter&gt;
 * &lt;/｜DSML｜invoke&gt;
 * &lt;/｜DSML｜tool_calls&gt;
 * </pre>
 * One section holds one or more invokes, each a call. A value with {@code string="true"} is the text itself;
 * {@code string="false"} marks JSON (a value that is not JSON after all is typed by the tool's schema, as is a value
 * without the attribute). The section is read whole and goes out once closed (or once the text ends after its last
 * invoke); one that breaks the markup, or calls a tool the request did not declare, is given back as its text.
 */
final class DsmlSyntax implements ToolCallSyntax {

    static final String BAR = "\uFF5C";
    static final String SECTION = "<" + BAR + "DSML" + BAR + "tool_calls>";
    static final String SECTION_END = "</" + BAR + "DSML" + BAR + "tool_calls>";
    static final String INVOKE = "<" + BAR + "DSML" + BAR + "invoke";
    static final String INVOKE_END = "</" + BAR + "DSML" + BAR + "invoke>";
    static final String PARAMETER = "<" + BAR + "DSML" + BAR + "parameter";
    static final String PARAMETER_END = "</" + BAR + "DSML" + BAR + "parameter>";

    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z_]+)\\s*=\\s*\"([^\"]*)\"");

    @Override
    public List<String> callStarts() {
        return List.of(SECTION);
    }

    @Override
    public List<String> strayTokens() {
        return List.of();
    }

    @Override
    public boolean startIsToken(String start) {
        return false;
    }

    @Override
    public CallReader reader(String start, ToolCatalog tools) {
        return new Reader(tools);
    }

    private static final class Reader extends CallReader {

        private final ToolCatalog tools;
        private boolean sawInvoke;
        private int searchFrom;
        private List<RecoveredCall> calls;

        Reader(ToolCatalog tools) {
            super(SECTION);
            this.tools = tools;
            this.searchFrom = SECTION.length();
        }

        @Override
        protected Status advance() {
            if (raw.length() > JsonCallSyntax.MAX_CALL_CHARS) {
                return Status.MALFORMED;
            }
            if (!sawInvoke) {
                skipWhitespace();
                if (atEnd()) {
                    return Status.NEED_MORE;
                }
                Match m = take(INVOKE);
                if (m != Match.YES) {
                    return m == Match.PARTIAL ? Status.NEED_MORE : Status.MALFORMED;
                }
                sawInvoke = true;
                pos -= INVOKE.length();
            }
            int close = raw.indexOf(SECTION_END, searchFrom);
            if (close < 0) {
                searchFrom = Math.max(pos, raw.length() - SECTION_END.length() + 1);
                return Status.NEED_MORE;
            }
            return completeAt(close, close + SECTION_END.length());
        }

        @Override
        Status finish() {
            if (!sawInvoke) {
                return Status.MALFORMED;
            }
            String rest = raw.substring(pos).stripTrailing();
            int tail = rest.length();
            for (int n = Math.min(SECTION_END.length() - 1, rest.length()); n > 0; n--) {
                if (rest.regionMatches(rest.length() - n, SECTION_END, 0, n)) {
                    tail = rest.length() - n; // the text ended inside the closing tag
                    break;
                }
            }
            return completeAt(pos + tail, raw.length());
        }

        @Override
        RecoveredCall call() {
            return calls.get(0);
        }

        @Override
        List<RecoveredCall> calls() {
            return calls;
        }

        private Status completeAt(int sectionEnd, int callEnd) {
            calls = invokes(raw.substring(pos, sectionEnd));
            if (calls == null || calls.isEmpty()) {
                return Status.MALFORMED;
            }
            end = callEnd;
            return Status.COMPLETE;
        }

        /** The invokes of a section's inside, or null when it is not a run of well-formed invokes. */
        private List<RecoveredCall> invokes(String inside) {
            var out = new ArrayList<RecoveredCall>();
            int at = 0;
            while (true) {
                at = skipBlank(inside, at);
                if (at == inside.length()) {
                    return out;
                }
                if (!inside.startsWith(INVOKE, at)) {
                    return null;
                }
                int tagEnd = inside.indexOf('>', at);
                if (tagEnd < 0) {
                    return null;
                }
                String tool = tools.resolve(attribute(inside.substring(at + INVOKE.length(), tagEnd), "name"));
                int invokeEnd = inside.indexOf(INVOKE_END, tagEnd);
                if (tool == null || invokeEnd < 0) {
                    return null;
                }
                String input = parameters(tool, inside.substring(tagEnd + 1, invokeEnd));
                if (input == null) {
                    return null;
                }
                out.add(new RecoveredCall(tool, null, List.of(input)));
                at = invokeEnd + INVOKE_END.length();
            }
        }

        /** An invoke's parameters as one JSON object, or null when they are not well-formed. */
        private String parameters(String tool, String body) {
            var json = new StringBuilder("{");
            var named = new java.util.HashSet<String>();
            int at = 0;
            while (true) {
                at = skipBlank(body, at);
                if (at == body.length()) {
                    return json.append('}').toString();
                }
                int tagEnd = body.indexOf('>', at);
                int valueEnd = tagEnd < 0 ? -1 : body.indexOf(PARAMETER_END, tagEnd);
                if (!body.startsWith(PARAMETER, at) || valueEnd < 0) {
                    return null;
                }
                String attributes = body.substring(at + PARAMETER.length(), tagEnd);
                String name = attribute(attributes, "name");
                if (name == null) {
                    return null;
                }
                if (named.add(name)) {
                    json.append(json.length() > 1 ? "," : "").append(JsonText.quote(name)).append(':')
                            .append(value(body.substring(tagEnd + 1, valueEnd), attribute(attributes, "string"),
                                    tool, name));
                }
                at = valueEnd + PARAMETER_END.length();
            }
        }

        private String value(String text, String string, String tool, String parameter) {
            if ("true".equals(string)) {
                return JsonText.quote(text);
            }
            if ("false".equals(string) && JsonText.isValue(text)) {
                return text.strip();
            }
            return ParameterValues.toJson(text, tools.parameterTypes(tool, parameter));
        }

        private static String attribute(String attributes, String name) {
            Matcher m = ATTRIBUTE.matcher(attributes);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
            return null;
        }

        private static int skipBlank(String s, int at) {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
            return at;
        }
    }
}
