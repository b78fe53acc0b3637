package dev.ncp.host.plan;

import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.processors.BlockFinalizer;
import dev.ncp.host.processors.ThinkTagProcessor;
import dev.ncp.host.processors.UsageSnapshots;
import dev.ncp.host.processors.guard.GuardEvents;
import dev.ncp.host.processors.guard.OpenModelGuard;
import dev.ncp.host.pump.ProcessorChain;
import dev.ncp.host.security.ThinkingSigner;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the response processor chain of one answer: the built-in links (the guard's among them), the processors
 * plugins provide, and those the model's adapter adds for this request. {@code ProcessorChain} orders them by
 * {@code order()}.
 */
public final class ResponseChains {

    private final List<StreamProcessor> fixed;
    private final OpenModelGuard guard;

    public ResponseChains(ThinkingSigner signer, boolean usageSnapshots, List<StreamProcessor> pluginProcessors,
                          OpenModelGuard guard) {
        this.guard = guard;
        List<StreamProcessor> links = new ArrayList<>();
        links.add(new ThinkTagProcessor());
        links.add(new BlockFinalizer(signer));
        if (usageSnapshots) {
            links.add(new UsageSnapshots());
        }
        links.addAll(pluginProcessors);
        this.fixed = List.copyOf(links);
    }

    /** The chain of one answer; the guard's links report what they change to {@code guarded}. */
    public ProcessorChain forAnswer(AnswerPlan plan, GuardEvents guarded) {
        List<StreamProcessor> links = new ArrayList<>(fixed);
        links.addAll(guard.processors(guarded));
        links.addAll(plan.adapter().streamProcessors(plan.shaping()));
        return new ProcessorChain(links);
    }
}
