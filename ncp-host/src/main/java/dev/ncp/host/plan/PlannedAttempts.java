package dev.ncp.host.plan;

import dev.ncp.api.auth.Principal;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.processors.guard.GuardEvents;
import dev.ncp.host.pump.Attempt;

/**
 * The attempts of one planned request: each is the request as planned for one model (translated, budgeted, shaped
 * by that model's adapter), answered through that model's response chain, sent by the request's upstream call.
 */
public final class PlannedAttempts implements AttemptFactory {

    private final AnswerPlanner planner;
    private final ResponseChains chains;
    private final AnswerPlan primary;
    private final Principal principal;
    private final String clientModel;
    private final String messageId;
    private final Attempt.Call call;
    private final GuardEvents guarded;

    /**
     * @param primary     the request as planned for the model it resolved to
     * @param clientModel the model name the client sent (its answer names it)
     * @param call        sends an attempt's chat request upstream for this request (its key, budget and trace)
     * @param guarded     hears what the open-model guard repairs in each attempt's answer (the request's trace)
     */
    public PlannedAttempts(AnswerPlanner planner, ResponseChains chains, AnswerPlan primary, Principal principal,
                           String clientModel, String messageId, Attempt.Call call, GuardEvents guarded) {
        this.planner = planner;
        this.chains = chains;
        this.primary = primary;
        this.principal = principal;
        this.clientModel = clientModel;
        this.messageId = messageId;
        this.call = call;
        this.guarded = guarded;
    }

    @Override
    public String requestedModel() {
        return clientModel;
    }

    @Override
    public ModelInfo primaryModel() {
        return primary.resolution().model();
    }

    @Override
    public Attempt first() {
        return attemptOf(primary);
    }

    @Override
    public Attempt forFallback(ModelInfo model) {
        return attemptOf(planner.planFallback(primary, principal, model));
    }

    private Attempt attemptOf(AnswerPlan plan) {
        return new Attempt(messageId, clientModel, plan.inputTokens()::exact, plan.shaping(),
                plan.toolNames()::restore, chains.forAnswer(plan, guarded), plan.chat(), call);
    }
}
