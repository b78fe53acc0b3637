package dev.ncp.host.exchange;

import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.pump.EventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the storage-backed features observe of one request and its answer, attached to the request: the request as
 * the handler parsed it and the answer's events (the session tracker), copies of the bytes written to the client
 * (the idempotency recorder). The features attach their taps before the handler runs; the handler records the
 * parsed request and wraps its output stream and its sink once. Taps observe, never alter: the client gets every
 * byte and event first.
 */
public final class AnswerTaps {

    private final List<OutputStream> byteCopies = new ArrayList<>(1);
    private final List<EventSink> observers = new ArrayList<>(1);
    private MessagesRequest parsed;
    private String upstreamModel;

    /** The handler parsed the request's body into {@code request} (a feature then need not read the body again). */
    public void requestParsed(MessagesRequest request) {
        parsed = request;
    }

    /** The request as the handler parsed it; empty when it never did (refused before it, or a 400). */
    public Optional<MessagesRequest> parsedRequest() {
        return Optional.ofNullable(parsed);
    }

    /**
     * The answer came from {@code model}, the upstream model of its last attempt — after a fallback not the one the
     * {@code x-ncp-model} header of a stream named (that went out before the upstream answered).
     */
    public void answeredBy(String model) {
        upstreamModel = model;
    }

    /** The upstream model that answered; empty when no answer was attempted (refused, or a 400). */
    public Optional<String> upstreamModel() {
        return Optional.ofNullable(upstreamModel);
    }

    /** {@code copy} receives every byte written to the client, after the client. */
    public void copyBytesTo(OutputStream copy) {
        byteCopies.add(copy);
    }

    /** {@code observer} sees every event and failure of the answer, after the client's sink. */
    public void observeEvents(EventSink observer) {
        observers.add(observer);
    }

    /** The client's stream, teed to the byte copies (the same stream when there are none). */
    public OutputStream wrap(OutputStream client) {
        return byteCopies.isEmpty() ? client : new TeeOutputStream(client, List.copyOf(byteCopies));
    }

    /** The client's sink, teed to the observers (the same sink when there are none). */
    public EventSink wrap(EventSink client) {
        return observers.isEmpty() ? client : new TeeSink(client, List.copyOf(observers));
    }

    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream client;
        private final List<OutputStream> copies;

        TeeOutputStream(OutputStream client, List<OutputStream> copies) {
            this.client = client;
            this.copies = copies;
        }

        @Override
        public void write(int b) throws IOException {
            client.write(b);
            for (OutputStream copy : copies) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            client.write(b, off, len);
            for (OutputStream copy : copies) {
                copy.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            client.flush();
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    private record TeeSink(EventSink client, List<EventSink> observers) implements EventSink {
        @Override
        public void accept(StreamEvent event) {
            client.accept(event);
            observers.forEach(o -> o.accept(event));
        }

        @Override
        public void endOfBatch() {
            client.endOfBatch();
        }

        /** Observers keep what they saw: they read the final usage and failure, which the next attempt sets again. */
        @Override
        public boolean canTakeBack() {
            return client.canTakeBack();
        }

        @Override
        public void takeBack() {
            client.takeBack();
        }

        @Override
        public void failing(ApiError error) {
            client.failing(error);
            observers.forEach(o -> o.failing(error));
        }

        @Override
        public void keepAlive() {
            client.keepAlive();
        }
    }
}
