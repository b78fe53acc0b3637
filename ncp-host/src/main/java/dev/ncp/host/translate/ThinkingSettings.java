package dev.ncp.host.translate;

import dev.ncp.api.model.Thinking;
import dev.ncp.host.anthropic.OutputConfig;
import dev.ncp.host.anthropic.ThinkingConfig;

/**
 * {@code thinking} + {@code output_config.effort} → the {@link Thinking} an adapter maps to its family's control.
 * {@code between_tools} (think only between tool calls) has no upstream equivalent; the nearest is
 * {@link Thinking.Mode#ADAPTIVE}: the model decides when to reason. {@code display: "omitted"} (or "updates") is
 * kept for the answer ({@code BlockFinalizer} seals the text into the signature).
 */
final class ThinkingSettings {

    private ThinkingSettings() {
    }

    static Thinking of(ThinkingConfig thinking, OutputConfig output) {
        String effort = output == null ? null : output.effort();
        if (thinking == null) {
            return effort == null ? Thinking.ABSENT : new Thinking(Thinking.Mode.ABSENT, null, effort);
        }
        // "updates" (newer Claude Code for Claude 5.5 names) shows only progress notes written between tool calls
        // and leaves reasoning blocks empty; ncp's upstreams write no such notes, so every block is reasoning.
        boolean omitted = "omitted".equals(thinking.display()) || "updates".equals(thinking.display());
        return switch (thinking.type()) {
            case "enabled" -> new Thinking(Thinking.Mode.ENABLED, thinking.budgetTokens(), effort, omitted);
            case "disabled" -> new Thinking(Thinking.Mode.DISABLED, null, effort);
            default -> new Thinking(Thinking.Mode.ADAPTIVE, null, effort, omitted);
        };
    }
}
