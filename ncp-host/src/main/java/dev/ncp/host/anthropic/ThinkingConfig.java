package dev.ncp.host.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code thinking}: {@code enabled} (with {@code budget_tokens}), {@code disabled}, {@code adaptive} or
 * {@code between_tools}. {@code display} ({@code "omitted"}/{@code "summarized"}) is kept for the response side.
 */
public record ThinkingConfig(
        @JsonProperty("type") String type,
        @JsonProperty("budget_tokens") Integer budgetTokens,
        @JsonProperty("display") String display) {
}
