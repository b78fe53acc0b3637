package dev.ncp.host.sessions;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.Usage;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.pump.EventSink;

/** Watches one answer's events for what its session records: the model, the final usage, and failure. */
final class UsageObserver implements EventSink {

    private String model;
    private Usage usage = Usage.ZERO;
    private boolean failed;

    @Override
    public void accept(StreamEvent event) {
        switch (event) {
            case StreamEvent.MessageStart start -> {
                model = start.model();
                usage = start.usage();
            }
            case StreamEvent.MessageDelta delta -> usage = delta.usage();
            case StreamEvent.Error error -> failed = true;
            default -> { }
        }
    }

    @Override
    public void failing(ApiError error) {
        failed = true;
    }

    /** @param upstreamModel the model ncp sent the request to, when known (preferred over the requested name) */
    AnswerSummary summary(String upstreamModel, boolean requestFailed) {
        return new AnswerSummary(upstreamModel != null ? upstreamModel : model, usage, failed || requestFailed);
    }
}
