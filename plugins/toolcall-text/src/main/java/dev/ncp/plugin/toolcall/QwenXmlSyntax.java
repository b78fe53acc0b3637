package dev.ncp.plugin.toolcall;

import java.util.List;

/**
 * Qwen3-Coder's tool calls, written in the content when the server's tool parser does not catch them:
 * <pre>
 * &lt;tool_call&gt;
 * &lt;function=Write&gt;
 * &lt;parameter=file_path&gt;
 * /tmp/hello.txt
 * &lt;/parameter&gt;
 * &lt;/function&gt;
 * &lt;/tool_call&gt;
 * </pre>
 * The {@code <tool_call>} wrapper is optional (the model sometimes opens with {@code <function=} directly). A value
 * runs to the first {@code </parameter>}, so it may hold newlines and {@code <}; one newline right after the
 * opening tag and one right before the closing tag are the format's, not the value's (as in vLLM's parser).
 * Values are typed by the tool's schema ({@link ParameterValues}).
 *
 * <p>A call is announced as soon as its function names a declared tool, and each parameter is one input piece
 * ({@code {"file_path":"/a"}, then {@code ,"limit":20}, ...) ready as its {@code </parameter>} closes, so the
 * client sees the tool_use start and its input while the model is still writing it; {@code </function>} closes the
 * JSON. A parameter named twice keeps its first value (a piece cannot be taken back). Once announced, a call that
 * goes wrong is closed with the parameters read so far: text the reader cannot read (a broken tag) is given back
 * as text after it, and a parameter the text ends inside of (the answer was cut) is dropped.
 */
final class QwenXmlSyntax implements ToolCallSyntax {

    static final String TOOL_CALL = "<tool_call>";
    static final String TOOL_CALL_END = "</tool_call>";
    static final String FUNCTION = "<function=";
    static final String FUNCTION_END = "</function>";
    static final String PARAMETER = "<parameter=";
    static final String PARAMETER_END = "</parameter>";

    @Override
    public List<String> callStarts() {
        return List.of(TOOL_CALL, FUNCTION);
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
        return new Reader(start, tools);
    }

    private static final class Reader extends CallReader {

        /** Names longer than this, or spanning lines, mean this is not a tag after all. */
        private static final int MAX_NAME = 256;

        private enum State { BEFORE_FUNCTION, FUNCTION_NAME, BETWEEN_PARAMETERS, PARAMETER_NAME, VALUE, AFTER_FUNCTION }

        private final ToolCatalog tools;
        private final boolean wrapped;
        private State state;
        private String function;
        private String parameter;
        /** The last name {@link #readName()} read. */
        private String name;
        private int valueStart;
        private int searchFrom;
        private int functionEnd;
        /** Where the tag being read began: text from there on is given back if the announced call goes wrong. */
        private int elementStart;
        private final java.util.Set<String> named = new java.util.HashSet<>();
        /** Input pieces, one per parameter; those before {@link #taken} went out already. */
        private final List<String> pieces = new java.util.ArrayList<>();
        private int taken;

        Reader(String start, ToolCatalog tools) {
            super(start);
            this.tools = tools;
            this.wrapped = start.equals(TOOL_CALL);
            this.state = wrapped ? State.BEFORE_FUNCTION : State.FUNCTION_NAME;
        }

        @Override
        protected Status advance() {
            while (true) {
                switch (state) {
                    case BEFORE_FUNCTION -> {
                        skipWhitespace();
                        Match m = take(FUNCTION);
                        if (m != Match.YES) {
                            return m == Match.PARTIAL || atEnd() ? Status.NEED_MORE : Status.MALFORMED;
                        }
                        state = State.FUNCTION_NAME;
                    }
                    case FUNCTION_NAME -> {
                        Status read = readName();
                        if (read != Status.COMPLETE) {
                            return read;
                        }
                        if (!tools.declares(name)) {
                            return Status.MALFORMED;
                        }
                        function = name;
                        state = State.BETWEEN_PARAMETERS;
                    }
                    case BETWEEN_PARAMETERS -> {
                        skipWhitespace();
                        elementStart = pos;
                        if (atEnd()) {
                            return Status.NEED_MORE;
                        }
                        Match p = take(PARAMETER);
                        if (p == Match.YES) {
                            state = State.PARAMETER_NAME;
                            continue;
                        }
                        Match f = take(FUNCTION_END);
                        if (f == Match.YES) {
                            functionEnd = pos;
                            if (!wrapped) {
                                end = pos;
                                return Status.COMPLETE;
                            }
                            state = State.AFTER_FUNCTION;
                            continue;
                        }
                        return p == Match.PARTIAL || f == Match.PARTIAL ? Status.NEED_MORE : Status.MALFORMED;
                    }
                    case PARAMETER_NAME -> {
                        Status read = readName();
                        if (read != Status.COMPLETE) {
                            return read;
                        }
                        parameter = name;
                        valueStart = pos;
                        searchFrom = pos;
                        state = State.VALUE;
                    }
                    case VALUE -> {
                        int close = raw.indexOf(PARAMETER_END, searchFrom);
                        if (close < 0) {
                            searchFrom = Math.max(valueStart, raw.length() - PARAMETER_END.length() + 1);
                            return Status.NEED_MORE;
                        }
                        addValue(parameter, formatNewlinesRemoved(raw.substring(valueStart, close)));
                        pos = close + PARAMETER_END.length();
                        state = State.BETWEEN_PARAMETERS;
                    }
                    case AFTER_FUNCTION -> {
                        skipWhitespace();
                        if (atEnd()) {
                            return Status.NEED_MORE;
                        }
                        Match m = take(TOOL_CALL_END);
                        if (m == Match.PARTIAL) {
                            return Status.NEED_MORE;
                        }
                        end = m == Match.YES ? pos : functionEnd; // a missing </tool_call> is forgiven
                        return Status.COMPLETE;
                    }
                }
            }
        }

        @Override
        Status finish() {
            if (state != State.AFTER_FUNCTION) {
                return Status.MALFORMED;
            }
            skipWhitespace();
            // the text ended after </function>, maybe inside "</tool_call>": the call is whole
            end = atEnd() || take(TOOL_CALL_END) == Match.PARTIAL ? raw.length() : functionEnd;
            return Status.COMPLETE;
        }

        @Override
        RecoveredCall call() {
            var all = new java.util.ArrayList<>(pieces);
            all.add(closing());
            return new RecoveredCall(function, null, all);
        }

        @Override
        String announcedTool() {
            return function;
        }

        @Override
        List<String> takeInput() {
            List<String> ready = List.copyOf(pieces.subList(taken, pieces.size()));
            taken = pieces.size();
            return ready;
        }

        @Override
        List<String> abandon(boolean textEnded) {
            end = textEnded ? raw.length() : elementStart;
            var rest = new java.util.ArrayList<>(takeInput());
            rest.add(closing());
            return rest;
        }

        private String closing() {
            return pieces.isEmpty() ? "{}" : "}";
        }

        private void addValue(String param, String value) {
            if (named.add(param)) {
                pieces.add((pieces.isEmpty() ? "{" : ",") + JsonText.quote(param) + ":"
                        + ParameterValues.toJson(value, tools.parameterTypes(function, param)));
            }
        }

        /**
         * Reads a tag's name up to its {@code >} into {@link #name} and moves past it ({@code COMPLETE}); or waits
         * for more text; or finds that this cannot be a name (empty, too long, spanning lines, holding {@code <}).
         */
        private Status readName() {
            int close = raw.indexOf(">", pos);
            String text = close < 0 ? raw.substring(pos) : raw.substring(pos, close);
            if (text.length() > MAX_NAME || text.contains("\n") || text.contains("<")) {
                return Status.MALFORMED;
            }
            if (close < 0) {
                return Status.NEED_MORE;
            }
            name = text.strip();
            pos = close + 1;
            return name.isEmpty() ? Status.MALFORMED : Status.COMPLETE;
        }

        private static String formatNewlinesRemoved(String value) {
            String v = value.startsWith("\n") ? value.substring(1) : value;
            return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
        }
    }
}
