package dev.ncp.plugin.toolcall;

import java.util.List;
import java.util.Objects;

/**
 * One complete tool call found in the text.
 *
 * @param tool       the tool's (upstream) name, one the request declared
 * @param upstreamId the call id the model wrote (Kimi's {@code functions.Read:0}), or null when the format has none
 * @param inputJson  the call's input as JSON, in pieces whose concatenation is exactly one JSON object; each piece
 *                   becomes one {@code input_json_delta}
 */
record RecoveredCall(String tool, String upstreamId, List<String> inputJson) {

    RecoveredCall {
        Objects.requireNonNull(tool, "tool");
        inputJson = List.copyOf(inputJson);
    }

    /** The whole input JSON. */
    String input() {
        return String.join("", inputJson);
    }
}
