package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code metadata}; Claude Code's {@code user_id} is a JSON string with device, account and session ids. */
public record RequestMetadata(@JsonProperty("user_id") String userId) {
}
