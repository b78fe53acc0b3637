package dev.ncp.plugin.toolcall;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a parameter value the model wrote as bare text into the JSON value the tool's schema asks for. Text
 * formats carry no types, so the schema decides: integers, numbers and booleans are parsed, arrays and objects
 * must be well-formed JSON, and everything else — strings, values of parameters the schema does not describe,
 * values that do not parse as their type — stays the exact text, as a JSON string. A parameter whose schema
 * allows a string is always a string: the text is then the value, character for character.
 */
final class ParameterValues {

    private ParameterValues() {
    }

    /** The JSON text of {@code raw} as a value of one of {@code types}. */
    static String toJson(String raw, Set<String> types) {
        if (types.isEmpty() || types.contains("string")) {
            return JsonText.quote(raw);
        }
        String v = raw.strip();
        if (types.contains("null") && v.equals("null")) {
            return "null";
        }
        if (types.contains("boolean")) {
            String lower = v.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return lower;
            }
        }
        if (types.contains("integer") || types.contains("number")) {
            String number = number(v, types.contains("integer") && !types.contains("number"));
            if (number != null) {
                return number;
            }
        }
        if ((types.contains("object") && JsonText.isObject(v)) || (types.contains("array") && JsonText.isArray(v))) {
            return v;
        }
        return JsonText.quote(raw);
    }

    /** A JSON number for {@code v} ({@code +5}, {@code 007} and {@code .5} normalized), or null. */
    private static String number(String v, boolean integerOnly) {
        if (JsonText.isNumber(v)) {
            return v;
        }
        try {
            if (integerOnly) {
                return new BigInteger(v).toString();
            }
            return new BigDecimal(v).toString();
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
