package dev.ncp.host.plan;

import dev.ncp.api.auth.Principal;
import dev.ncp.api.error.ErrorType;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.model.Thinking;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.model.AdapterSelector;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.model.Resolution;
import dev.ncp.host.model.ScenarioRouter;
import dev.ncp.host.processors.guard.LoopNote;
import dev.ncp.host.tokens.InputTokens;
import dev.ncp.host.tokens.TokenBudget;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.TranslatedRequest;

/**
 * The steps between a parsed request and the upstream call, in order: resolve the model, check the principal may
 * use it, apply scenario routing, translate, fit the token budget, add the guard's loop note, let the family's
 * adapter shape the request.
 */
public final class AnswerPlanner {

    private final ModelRegistry registry;
    private final ScenarioRouter router;
    private final RequestTranslator translator;
    private final TokenBudget budget;
    private final AdapterSelector adapters;
    private final LoopNote loopNote;

    public AnswerPlanner(ModelRegistry registry, ScenarioRouter router, RequestTranslator translator,
                         TokenBudget budget, AdapterSelector adapters, LoopNote loopNote) {
        this.registry = registry;
        this.router = router;
        this.translator = translator;
        this.budget = budget;
        this.adapters = adapters;
        this.loopNote = loopNote;
    }

    /**
     * @param subagentRequest whether the client marked the request as a Claude Code subagent's
     *                        ({@code x-claude-code-agent-id})
     */
    public AnswerPlan plan(MessagesRequest request, Principal principal, boolean subagentRequest) {
        Resolution resolution = registry.resolve(request.model());
        checkAllowed(principal, request.model(), resolution);
        ScenarioRouter.Routed routed = router.route(request, resolution, subagentRequest);
        if (routed.clientChosen().isPresent()) {
            checkAllowed(principal, routed.clientChosen().get(), routed.resolution());
        }
        return plan(routed.request(), routed.resolution(), routed.inputTokens());
    }

    /**
     * The request of {@code primary} planned for {@code model}, a fallback of its model: translated, budgeted and
     * shaped for that model from the request as routed (so a routing tag never reaches a fallback model). Throws an
     * {@link ApiError} when the request cannot go to it (the principal may not use it, the prompt is too long for
     * its context, it cannot see images...).
     */
    public AnswerPlan planFallback(AnswerPlan primary, Principal principal, ModelInfo model) {
        if (!principal.mayUse(model.id())) {
            throw new ApiError(ErrorType.PERMISSION, "Your key may not use the fallback model '" + model.id() + "'.");
        }
        MessagesRequest request = primary.request();
        return plan(request, new Resolution(request.model(), model, "fallback"), primary.inputTokens());
    }

    private AnswerPlan plan(MessagesRequest request, Resolution resolution, InputTokens inputTokens) {
        TranslatedRequest translated = translator.translate(request, resolution.model(), inputTokens);
        ShapingContext shaping = translated.shaping();
        TokenBudget.Decision decision = budget.decide(request.maxTokens(), inputTokens,
                resolution.model(), shaping.thinking());
        Thinking thinking = shaping.thinking();
        if (thinking.budgetTokens() != null && !thinking.budgetTokens().equals(decision.thinkingBudget())) {
            thinking = thinking.withBudgetTokens(decision.thinkingBudget());
            shaping = new ShapingContext(shaping.model(), shaping.requestedModel(), thinking, shaping.tools(),
                    shaping.stopSequences(), shaping.priorReasoning());
        }
        ChatRequest chat = translated.chat().withModel(resolution.model().id()).withMaxTokens(decision.maxTokens());
        LoopNote.Noted noted = loopNote.apply(request, chat);
        ModelAdapter adapter = adapters.select(resolution.model());
        chat = adapter.shape(noted.chat(), shaping);
        return new AnswerPlan(request, resolution, chat, shaping, adapter, translated.toolNames(),
                inputTokens, noted.intervention().stream().toList());
    }

    private static void checkAllowed(Principal principal, String name, Resolution resolution) {
        if (!principal.mayUse(name) && !principal.mayUse(resolution.model().id())) {
            throw new ApiError(ErrorType.PERMISSION, "Your key may not use the model '" + name
                    + "'. Ask the operator of this ncp proxy to allow it, or pick an allowed model.");
        }
    }
}
