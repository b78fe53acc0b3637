package dev.ncp.host.processors;

import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.MessageStart;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.api.stream.Usage;

/**
 * Progressive usage ({@code R2_MESSAGE_DELTA_EVERY_BLOCK}): after each block stop, a {@code message_delta} with
 * {@code stop_reason: null} and the usage so far (input as estimated at the start, output estimated at four
 * characters a token), so a client can show the answer's size while it streams. The real numbers come with the
 * final message_delta.
 *
 * <p>Safe for SDK accumulators: the Anthropic SDKs take every message_delta as a cumulative snapshot and let the
 * last stop_reason win (checked against the Java SDK's {@code MessageAccumulator} in the tests). Runs after the
 * {@link BlockFinalizer}, so it sees final indexes and never sits between a block and its stop.
 */
public final class UsageSnapshots implements StreamProcessor {

    @Override
    public String name() {
        return "usage-snapshots";
    }

    @Override
    public int order() {
        return FINALIZER + 10;
    }

    @Override
    public Stage open(StreamContext context) {
        return new Stage() {
            private Usage start = Usage.ZERO;
            private long chars;

            @Override
            public void onEvent(StreamEvent event, Emitter next) {
                next.emit(event);
                switch (event) {
                    case MessageStart s -> start = s.usage();
                    case ContentBlockDelta d -> chars += switch (d.delta()) {
                        case TextDelta t -> t.text().length();
                        case ThinkingDelta t -> t.thinking().length();
                        case InputJsonDelta j -> j.partialJson().length();
                        default -> 0;
                    };
                    case ContentBlockStop s -> next.emit(new MessageDelta(null, null,
                            start.withOutputTokens((int) ((chars + 3) / 4))));
                    default -> { }
                }
            }
        };
    }
}
