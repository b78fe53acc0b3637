package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * One entry of {@code messages}: role {@code user}, {@code assistant} or {@code system} (Claude Code sends
 * mid-conversation system messages). String content arrives as a single text block.
 */
public record InputMessage(
        @JsonProperty("role") String role,
        @JsonProperty("content") @JsonDeserialize(using = BlockListDeserializer.class) List<ContentBlock> content) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String SYSTEM = "system";
}
