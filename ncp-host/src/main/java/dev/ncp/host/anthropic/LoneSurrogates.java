package dev.ncp.host.anthropic;

/**
 * Finds a {@code \}{@code uD800}–{@code \}{@code uDFFF} escape that is not half of a surrogate pair in a JSON body.
 * JSON's grammar lets such an escape through (Jackson decodes it into a lone {@code char}), but it is no Unicode text:
 * the tokenizer and the UTF-8 written upstream both fail on it. Anthropic refuses it as invalid JSON ("no low
 * surrogate in string"), so ncp does the same, up front. Raw UTF-8 bytes cannot encode a surrogate (invalid UTF-8 is
 * refused by the parser), so the escape is the only way one arrives.
 */
final class LoneSurrogates {

    private LoneSurrogates() {
    }

    /** The byte offset of the first unpaired surrogate escape in {@code body}, or -1. */
    static int firstIn(byte[] body) {
        for (int i = 0; i < body.length - 5; i++) {
            if (body[i] != '\\') {
                continue;
            }
            if (body[i + 1] != 'u') {
                i++; // an escaped character, possibly an escaped backslash: never the start of \\u
                continue;
            }
            int unit = hex4(body, i + 2);
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                return i; // a low surrogate with no high one before it (pairs are consumed below)
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                int next = i + 6;
                boolean escapeFollows = next + 5 < body.length && body[next] == '\\' && body[next + 1] == 'u';
                int low = escapeFollows ? hex4(body, next + 2) : -1;
                if (low < 0xDC00 || low > 0xDFFF) {
                    return i;
                }
                i = next + 5; // the pair, whole
            } else {
                i += 5;
            }
        }
        return -1;
    }

    private static int hex4(byte[] b, int from) {
        if (from + 4 > b.length) {
            return -1;
        }
        int value = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }
}
