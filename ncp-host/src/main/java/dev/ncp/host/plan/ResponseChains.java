package dev.ncp.host.plan;

import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.processors.BlockFinalizer;
import dev.ncp.host.processors.ThinkTagProcessor;
import dev.ncp.host.processors.UsageSnapshots;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.security.ThinkingSigner;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the response processor chain of one answer: the built-in links, the processors plugins provide, and those
 * the model's adapter adds for this request. {@code ProcessorChain} orders them by {@code order()}.
 */
public final class ResponseChains {

    private final List<StreamProcessor> fixed;

    public ResponseChains(ThinkingSigner signer, boolean usageSnapshots, List<StreamProcessor> pluginProcessors) {
        List<StreamProcessor> links = new ArrayList<>();
        links.add(new ThinkTagProcessor());
        links.add(new BlockFinalizer(signer));
        if (usageSnapshots) {
            links.add(new UsageSnapshots());
        }
        links.addAll(pluginProcessors);
        this.fixed = List.copyOf(links);
    }

    public ProcessorChain forAnswer(AnswerPlan plan) {
        List<StreamProcessor> links = new ArrayList<>(fixed);
        links.addAll(plan.adapter().streamProcessors(plan.shaping()));
        return new ProcessorChain(links);
    }
}
