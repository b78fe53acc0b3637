package dev.ncp.host.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.ncp.host.error.ApiError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns a request body into a validated {@link MessagesRequest}, or throws {@link ApiError} 400 saying what is wrong
 * and where: malformed JSON names line and column, a wrong type names the field's path
 * ({@code max_tokens: expected an integer}), a missing field says {@code Field required}.
 *
 * <p>Databind reads straight into the records (no intermediate tree), strictly: no string-to-number or
 * float-to-int coercion, since Anthropic rejects those too. Thread-safe; build one per process.
 */
public final class MessagesRequestParser {

    /** The defaults of {@code NCP_MAX_JSON_DEPTH} and {@code NCP_MAX_TOOLS}. */
    public static final int DEFAULT_MAX_DEPTH = 100;
    public static final int DEFAULT_MAX_TOOLS = 1000;

    private final ObjectReader reader;
    private final MessagesRequestValidator validator;
    private final JsonBodyLimits limits;

    /** @param base the host's shared mapper; it is copied, not changed */
    public MessagesRequestParser(ObjectMapper base) {
        this(base, DEFAULT_MAX_DEPTH, DEFAULT_MAX_TOOLS);
    }

    /**
     * @param maxDepth deepest JSON nesting accepted ({@code NCP_MAX_JSON_DEPTH}): deeper is refused while parsing,
     *                 before any of it is built
     * @param maxTools most tools one request may define ({@code NCP_MAX_TOOLS})
     */
    public MessagesRequestParser(ObjectMapper base, int maxDepth, int maxTools) {
        this.limits = new JsonBodyLimits(maxDepth, maxTools);
        this.validator = new MessagesRequestValidator(limits);
        ObjectMapper strict = limits.applyTo(base.copy());
        strict.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        strict.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        strict.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        strict.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        this.reader = strict.readerFor(MessagesRequest.class);
    }

    /** Parses and validates {@code body}. */
    public MessagesRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiError.invalidRequest("Request body is empty; send a JSON object with model, messages and"
                    + " max_tokens");
        }
        int lone = LoneSurrogates.firstIn(body);
        if (lone >= 0) {
            throw ApiError.invalidRequest("Request body is not valid JSON: no low surrogate in string (a lone \\u"
                    + new String(body, lone + 2, 4, java.nio.charset.StandardCharsets.US_ASCII) + " escape at byte "
                    + lone + "); send whole characters (a high surrogate escape followed by its low one).");
        }
        MessagesRequest request;
        try {
            request = reader.readValue(body);
        } catch (StreamConstraintsException e) {
            throw limits.exceeded(e);
        } catch (IOException e) {
            if (e.getCause() instanceof StreamConstraintsException c) {
                throw limits.exceeded(c);
            }
            throw ApiError.invalidRequest(describe(e));
        }
        if (request == null) {
            throw ApiError.invalidRequest("Request body must be a JSON object, not null");
        }
        validator.validate(request);
        return request;
    }

    /** One sentence naming where the body went wrong; databind wraps the parser's own errors, so unwrap first. */
    private static String describe(IOException e) {
        Throwable cause = e instanceof JsonMappingException && e.getCause() instanceof StreamReadException s ? s : e;
        if (cause instanceof InputCoercionException c) {
            return pathOf(c) + ": " + expected(c.getTargetType()) + " (number out of range)";
        }
        if (cause instanceof StreamReadException s) {
            var where = s.getLocation();
            return "Request body is not valid JSON (line " + where.getLineNr() + ", column " + where.getColumnNr()
                    + "): " + JsonBodyLimits.withoutSourceNote(s.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getPath().isEmpty()) {
                return "Request body must be a JSON object with model, messages and max_tokens";
            }
            String message = m.getOriginalMessage();
            String problem = message != null && message.startsWith("expected ") ? message : expected(m.getTargetType());
            return pathOr(m, "body") + ": " + problem;
        }
        if (e instanceof JsonMappingException m) {
            return pathOr(m, "body") + ": " + m.getOriginalMessage();
        }
        return "Request body could not be read: " + e.getMessage();
    }

    /** What a client should have sent for a Java target type, in JSON terms. */
    static String expected(Class<?> target) {
        if (target == null) {
            return "unexpected value";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "expected an integer";
        }
        if (target == Double.class || target == double.class || target == Float.class) {
            return "expected a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "expected a boolean";
        }
        if (target == String.class) {
            return "expected a string";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "expected an array";
        }
        return "expected an object";
    }

    private static String pathOr(JsonMappingException e, String fallback) {
        var parts = new ArrayList<String>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            parts.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return parts.isEmpty() ? fallback : String.join(".", parts);
    }

    /** The path of the value the parser stood on, from its nesting contexts. */
    private static String pathOf(StreamReadException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return "body";
        }
        var parts = new ArrayList<String>();
        for (JsonStreamContext ctx = parser.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            parts.add(0, ctx.inArray() ? String.valueOf(ctx.getCurrentIndex()) : ctx.getCurrentName());
        }
        return parts.isEmpty() ? "body" : String.join(".", List.copyOf(parts));
    }
}
