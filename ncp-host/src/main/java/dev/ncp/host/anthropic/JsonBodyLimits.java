package dev.ncp.host.anthropic;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.error.ApiError;

/**
 * The limits every request body is read within, whether ncp translates it ({@link MessagesRequestParser}) or passes
 * it through untranslated: how deep its JSON nests ({@code NCP_MAX_JSON_DEPTH}, refused while parsing, before any of
 * it is built), how long one string may be, and how many tools it defines ({@code NCP_MAX_TOOLS}). One place, so both
 * paths refuse the same bodies with the same words.
 */
public final class JsonBodyLimits {

    /** Above Jackson's 20M default so a large base64 image fits; the HTTP layer bounds the body itself. */
    private static final int MAX_STRING_LENGTH = 64 * 1024 * 1024;

    private final int maxDepth;
    private final int maxTools;

    public JsonBodyLimits(int maxDepth, int maxTools) {
        this.maxDepth = maxDepth;
        this.maxTools = maxTools;
    }

    /** Sets the depth and string limits on {@code mapper}'s parser factory; returns it. */
    public ObjectMapper applyTo(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH).maxNestingDepth(maxDepth).build());
        return mapper;
    }

    /** The 400 for a body the parser stopped at one of these limits. */
    public ApiError exceeded(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return ApiError.invalidRequest("Request body is nested too deeply: at most " + maxDepth
                    + " levels of JSON objects and arrays are accepted (NCP_MAX_JSON_DEPTH).");
        }
        return ApiError.invalidRequest("Request body exceeds a parser limit: " + withoutSourceNote(m));
    }

    /** Refuses a request defining more than {@code NCP_MAX_TOOLS} tools. */
    public void checkToolCount(int tools) {
        if (tools > maxTools) {
            throw ApiError.invalidRequest("tools: at most " + maxTools + " tools are accepted per request (got "
                    + tools + "; NCP_MAX_TOOLS)");
        }
    }

    /** Drops Jackson's "(for Array starting at [Source: ...])" tail, which repeats the location. */
    static String withoutSourceNote(String message) {
        int note = message == null ? -1 : message.indexOf(" (for ");
        return note < 0 ? message : message.substring(0, note);
    }
}
