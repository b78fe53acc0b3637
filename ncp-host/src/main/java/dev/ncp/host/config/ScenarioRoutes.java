package dev.ncp.host.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where requests of each scenario go (claude-code-router's {@code Router} section): model names — an alias, a
 * Claude name or a NIM id — or empty when the scenario is off. All but {@code image} are off unless configured
 * ({@code NCP_ROUTE_*} or the config file's {@code routes:} section); {@code image} defaults to
 * {@code claude-llama4-maverick} (a vision model, so an image sent to a model that cannot see is not lost) and
 * {@code off} turns it off. {@link #NONE} is every route off. {@link ScenarioRouter} applies them.
 *
 * @param background           haiku-class requests (Claude Code's quick background calls)
 * @param think                requests with thinking enabled or adaptive
 * @param longContext          requests whose estimated input exceeds {@code longContextThreshold} tokens
 * @param longContextThreshold input tokens above which a request counts as long context
 * @param image                requests with an image, when the model they would go to cannot see images
 * @param subagent             Claude Code subagent requests (they carry {@code x-claude-code-agent-id})
 */
public record ScenarioRoutes(
        Optional<String> background,
        Optional<String> think,
        Optional<String> longContext,
        int longContextThreshold,
        Optional<String> image,
        Optional<String> subagent) {

    public static final int DEFAULT_LONG_CONTEXT_THRESHOLD = 60_000;

    public static final ScenarioRoutes NONE = new ScenarioRoutes(Optional.empty(), Optional.empty(), Optional.empty(),
            DEFAULT_LONG_CONTEXT_THRESHOLD, Optional.empty(), Optional.empty());

    public ScenarioRoutes {
        if (longContextThreshold <= 0) {
            throw new IllegalArgumentException("long context threshold must be positive");
        }
    }

    /** The configured routes in precedence order for the startup diagnostics, e.g. {@code think → claude-qwen3}. */
    public List<String> summary() {
        var out = new ArrayList<String>();
        longContext.ifPresent(t -> out.add("longContext (> " + longContextThreshold + " tokens) → " + t));
        subagent.ifPresent(t -> out.add("subagent → " + t));
        background.ifPresent(t -> out.add("background → " + t));
        think.ifPresent(t -> out.add("think → " + t));
        image.ifPresent(t -> out.add("image → " + t));
        return out;
    }
}
