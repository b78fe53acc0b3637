package dev.ncp.plugin.toolcall;

/**
 * The little JSON this library needs, without a JSON library in every plugin jar: quoting a string, and checking
 * that a text is one well-formed JSON value (RFC 8259), so a value the model wrote can be passed on verbatim.
 */
final class JsonText {

    /** Deeper nesting than this is refused rather than risking the stack on hostile input. */
    private static final int MAX_DEPTH = 256;

    private JsonText() {
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        var out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Whether {@code text} is exactly one JSON value, optionally surrounded by whitespace. */
    static boolean isValue(String text) {
        var reader = new Reader(text);
        return reader.value(0) && reader.atEnd();
    }

    /** Whether {@code text} is one JSON object (whitespace around it allowed). */
    static boolean isObject(String text) {
        return text.strip().startsWith("{") && isValue(text);
    }

    /** Whether {@code text} is one JSON array (whitespace around it allowed). */
    static boolean isArray(String text) {
        return text.strip().startsWith("[") && isValue(text);
    }

    /** Whether {@code text} is exactly a JSON number literal. */
    static boolean isNumber(String text) {
        var reader = new Reader(text);
        return !text.isEmpty() && reader.number() && reader.pos == text.length();
    }

    /**
     * The members of a JSON object text, each value as its exact JSON text, in order (a name given twice keeps its
     * first value); null when {@code text} is not one well-formed object.
     */
    static java.util.Map<String, String> members(String text) {
        var r = new Reader(text);
        r.skipWhitespace();
        if (!r.take('{')) {
            return null;
        }
        var out = new java.util.LinkedHashMap<String, String>();
        r.skipWhitespace();
        if (!r.take('}')) {
            do {
                r.skipWhitespace();
                int nameStart = r.pos;
                if (r.pos >= text.length() || text.charAt(r.pos) != '"' || !r.string()) {
                    return null;
                }
                String name = unquote(text.substring(nameStart, r.pos));
                r.skipWhitespace();
                if (!r.take(':')) {
                    return null;
                }
                r.skipWhitespace();
                int valueStart = r.pos;
                if (!r.value(1)) {
                    return null;
                }
                out.putIfAbsent(name, text.substring(valueStart, r.pos));
                r.skipWhitespace();
            } while (r.take(','));
            if (!r.take('}')) {
                return null;
            }
        }
        return r.atEnd() ? out : null;
    }

    /** The elements of a JSON array text, each as its exact JSON text; null when {@code text} is not one array. */
    static java.util.List<String> elements(String text) {
        var r = new Reader(text);
        r.skipWhitespace();
        if (!r.take('[')) {
            return null;
        }
        var out = new java.util.ArrayList<String>();
        r.skipWhitespace();
        if (!r.take(']')) {
            do {
                r.skipWhitespace();
                int valueStart = r.pos;
                if (!r.value(1)) {
                    return null;
                }
                out.add(text.substring(valueStart, r.pos));
                r.skipWhitespace();
            } while (r.take(','));
            if (!r.take(']')) {
                return null;
            }
        }
        return r.atEnd() ? out : null;
    }

    /** The text of a well-formed JSON string literal (quotes included in {@code literal}). */
    static String unquote(String literal) {
        var out = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e); // " \ /
            }
        }
        return out.toString();
    }

    /** A recursive-descent recognizer: answers well-formed or not, builds nothing. */
    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        boolean atEnd() {
            skipWhitespace();
            return pos == s.length();
        }

        boolean value(int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            skipWhitespace();
            if (pos >= s.length()) {
                return false;
            }
            return switch (s.charAt(pos)) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            };
        }

        private boolean object(int depth) {
            pos++; // {
            skipWhitespace();
            if (take('}')) {
                return true;
            }
            do {
                skipWhitespace();
                if (pos >= s.length() || s.charAt(pos) != '"' || !string()) {
                    return false;
                }
                skipWhitespace();
                if (!take(':') || !value(depth + 1)) {
                    return false;
                }
                skipWhitespace();
            } while (take(','));
            return take('}');
        }

        private boolean array(int depth) {
            pos++; // [
            skipWhitespace();
            if (take(']')) {
                return true;
            }
            do {
                if (!value(depth + 1)) {
                    return false;
                }
                skipWhitespace();
            } while (take(','));
            return take(']');
        }

        private boolean string() {
            pos++; // opening quote
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return true;
                }
                if (c < 0x20) {
                    return false;
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        return false;
                    }
                    char e = s.charAt(pos++);
                    if (e == 'u') {
                        for (int i = 0; i < 4; i++) {
                            if (pos >= s.length() || Character.digit(s.charAt(pos++), 16) < 0) {
                                return false;
                            }
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        return false;
                    }
                }
            }
            return false;
        }

        boolean number() {
            int start = pos;
            take('-');
            if (take('0')) {
                // a leading zero stands alone
            } else if (!digits()) {
                return false;
            }
            if (take('.') && !digits()) {
                return false;
            }
            if (take('e') || take('E')) {
                if (!take('+')) {
                    take('-');
                }
                if (!digits()) {
                    return false;
                }
            }
            return pos > start;
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private boolean literal(String word) {
            if (s.startsWith(word, pos)) {
                pos += word.length();
                return true;
            }
            return false;
        }

        private boolean take(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }
    }
}
