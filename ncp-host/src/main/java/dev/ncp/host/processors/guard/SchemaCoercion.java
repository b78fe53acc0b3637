package dev.ncp.host.processors.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.plugin.toolcall.SchemaTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gives string arguments the scalar type their schema asks for: {@code "300"} → {@code 300} where the schema says
 * integer (or number), {@code "true"} → {@code true} where it says boolean. Only there: a value whose schema allows
 * a string, or does not say, is left alone, as is a string that does not read as the type. Nested objects and
 * arrays are followed as far as the schema describes them.
 */
final class SchemaCoercion {

    /** Deeper than this, values are left as they are. */
    private static final int MAX_DEPTH = 32;

    /** Coerces {@code input} in place by {@code schema}; returns how many values changed type. */
    int coerce(ObjectNode input, Map<String, Object> schema) {
        return schema == null ? 0 : object(input, schema, 0);
    }

    private int object(ObjectNode node, Object schema, int depth) {
        int changed = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Object sub = SchemaTypes.property(schema, field.getKey());
            if (sub == null) {
                continue;
            }
            JsonNode value = field.getValue();
            JsonNode typed = value.isTextual() ? scalar(value.asText(), SchemaTypes.of(sub)) : null;
            if (typed != null) {
                field.setValue(typed);
                changed++;
            } else {
                changed += nested(value, sub, depth);
            }
        }
        return changed;
    }

    private int array(ArrayNode node, Object schema, int depth) {
        Object items = SchemaTypes.items(schema);
        if (items == null) {
            return 0;
        }
        Set<String> types = SchemaTypes.of(items);
        int changed = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode typed = node.get(i).isTextual() ? scalar(node.get(i).asText(), types) : null;
            if (typed != null) {
                node.set(i, typed);
                changed++;
            } else {
                changed += nested(node.get(i), items, depth);
            }
        }
        return changed;
    }

    private int nested(JsonNode value, Object schema, int depth) {
        if (depth >= MAX_DEPTH) {
            return 0;
        }
        if (value instanceof ObjectNode o) {
            return object(o, schema, depth + 1);
        }
        return value instanceof ArrayNode a ? array(a, schema, depth + 1) : 0;
    }

    private static JsonNode integer(BigInteger n) {
        if (n.bitLength() < 32) {
            return JsonNodeFactory.instance.numberNode(n.intValue());
        }
        return n.bitLength() < 64 ? JsonNodeFactory.instance.numberNode(n.longValue())
                : JsonNodeFactory.instance.numberNode(n);
    }

    /** The value {@code text} stands for under {@code types}, or null when it stays a string. */
    private static JsonNode scalar(String text, Set<String> types) {
        if (types.isEmpty() || types.contains("string")) {
            return null;
        }
        String v = text.strip();
        if (types.contains("boolean")) {
            String lower = v.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return BooleanNode.valueOf(lower.equals("true"));
            }
        }
        try {
            if (types.contains("integer")) {
                return integer(new BigInteger(v));
            }
        } catch (NumberFormatException notAnInteger) {
            // a number may still fit
        }
        try {
            if (types.contains("number")) {
                BigDecimal number = new BigDecimal(v);
                return number.scale() <= 0 ? integer(number.toBigIntegerExact())
                        : JsonNodeFactory.instance.numberNode(number);
            }
        } catch (NumberFormatException | ArithmeticException notANumber) {
            return null;
        }
        return null;
    }
}
