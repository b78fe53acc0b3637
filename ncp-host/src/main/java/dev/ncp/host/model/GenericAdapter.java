package dev.ncp.host.model;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;

/**
 * Serves every model no plugin claims: the translated request goes out as it is, plus the registry's sampling
 * overrides (e.g. DeepSeek R1's recommended temperature). Prior reasoning ({@code ShapingContext.priorReasoning})
 * is left out: a model nobody described is not known to want its reasoning back.
 */
public final class GenericAdapter implements ModelAdapter {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public boolean supports(ModelInfo model) {
        return true;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public ChatRequest shape(ChatRequest request, ShapingContext context) {
        return request;
    }
}
