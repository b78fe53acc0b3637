package dev.ncp.host.pump;

import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor.Emitter;
import dev.ncp.api.stream.StreamProcessor.Stage;
import dev.ncp.api.stream.StreamProcessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The response chain: processors sorted by {@link StreamProcessor#order()} (ties keep the given order), each
 * opened once per answer. Events enter the lowest-order stage; what the last stage emits goes to the sink.
 * Immutable and shareable; all per-answer state lives in the {@link Run}.
 */
public final class ProcessorChain {

    private final List<StreamProcessor> processors;

    public ProcessorChain(List<? extends StreamProcessor> processors) {
        var sorted = new ArrayList<StreamProcessor>(processors);
        sorted.sort(Comparator.comparingInt(StreamProcessor::order));
        this.processors = List.copyOf(sorted);
    }

    /** Opens every processor for one answer; those that return {@code null} sit this answer out. */
    public Run open(StreamContext context, Consumer<StreamEvent> sink) {
        var stages = new ArrayList<Stage>(processors.size());
        for (StreamProcessor processor : processors) {
            Stage stage = processor.open(context);
            if (stage != null) {
                stages.add(stage);
            }
        }
        return new Run(stages, sink);
    }

    /** One answer's pass through the chain: an {@link Emitter} into its first stage. */
    public static final class Run implements Emitter {
        private final List<Stage> stages;
        /** {@code next[i]} feeds stage {@code i}; {@code next[stages.size()]} is the sink. */
        private final Emitter[] next;

        private Run(List<Stage> stages, Consumer<StreamEvent> sink) {
            this.stages = List.copyOf(stages);
            this.next = new Emitter[stages.size() + 1];
            next[stages.size()] = sink::accept;
            for (int i = stages.size() - 1; i >= 0; i--) {
                Stage stage = stages.get(i);
                Emitter downstream = next[i + 1];
                next[i] = event -> stage.onEvent(event, downstream);
            }
        }

        @Override
        public void emit(StreamEvent event) {
            next[0].emit(event);
        }

        /** The upstream is finished: each stage, in order, flushes what it held into the next. */
        public void complete() {
            for (int i = 0; i < stages.size(); i++) {
                stages.get(i).onComplete(next[i + 1]);
            }
        }
    }
}
