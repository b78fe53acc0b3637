package dev.ncp.api.model;

/**
 * The client's {@code thinking} setting, already validated ({@code budget_tokens >= 1024} and below
 * {@code max_tokens}). Never forwarded raw: each adapter maps it to its family's control.
 *
 * @param mode         what the client asked for
 * @param budgetTokens the budget for {@link Mode#ENABLED}, else null
 * @param effort       {@code output_config.effort} when sent ("low", "medium", "high", "max"), else null
 * @param omitted      {@code thinking.display: "omitted"}: the client wants thinking blocks without their text (the
 *                     host seals the text into the signature); adapters shape the request the same either way
 */
public record Thinking(Mode mode, Integer budgetTokens, String effort, boolean omitted) {

    public static final Thinking ABSENT = new Thinking(Mode.ABSENT, null, null);

    /** A setting whose thinking text is shown (display absent or {@code "summarized"}). */
    public Thinking(Mode mode, Integer budgetTokens, String effort) {
        this(mode, budgetTokens, effort, false);
    }

    /** The same setting with another budget (the host clamps budgets to the model). */
    public Thinking withBudgetTokens(Integer newBudget) {
        return new Thinking(mode, newBudget, effort, omitted);
    }

    public enum Mode { ABSENT, DISABLED, ENABLED, ADAPTIVE }

    /** Whether the model should reason for this request. */
    public boolean wanted() {
        return mode == Mode.ENABLED || mode == Mode.ADAPTIVE;
    }
}
