package dev.ncp.api.model;

/**
 * The client's {@code thinking} setting, already validated ({@code budget_tokens >= 1024} and below
 * {@code max_tokens}). Never forwarded raw: each adapter maps it to its family's control.
 *
 * @param mode         what the client asked for
 * @param budgetTokens the budget for {@link Mode#ENABLED}, else null
 * @param effort       {@code output_config.effort} when sent ("low", "medium", "high", "max"), else null
 */
public record Thinking(Mode mode, Integer budgetTokens, String effort) {

    public static final Thinking ABSENT = new Thinking(Mode.ABSENT, null, null);

    public enum Mode { ABSENT, DISABLED, ENABLED, ADAPTIVE }

    /** Whether the model should reason for this request. */
    public boolean wanted() {
        return mode == Mode.ENABLED || mode == Mode.ADAPTIVE;
    }
}
