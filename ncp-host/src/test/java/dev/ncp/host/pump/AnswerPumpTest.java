package dev.ncp.host.pump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.error.ErrorType;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.sse.MessageAggregator;
import dev.ncp.host.sse.SseWriter;
import dev.ncp.host.testing.AnswerHarness;
import dev.ncp.host.testing.EventRecorder;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.TestRequests;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.upstream.PendingResponse;
import dev.ncp.host.upstream.Upstream;
import dev.ncp.host.upstream.UpstreamClient;
import dev.ncp.host.upstream.UpstreamResponse;
import dev.ncp.host.upstream.UpstreamSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One answer end to end: a real HTTP upstream, the pump's threads and deadlines, both sinks. */
class AnswerPumpTest {

    private static final Duration QUICK = Duration.ofSeconds(10);

    private final ScriptedUpstream upstream = ScriptedUpstream.start();
    private final UpstreamClient client = new UpstreamClient(UpstreamSettings.of(upstream.baseUrl(), "nvapi-test"),
            AnswerHarness.JSON, new UpstreamErrorMapper(AnswerHarness.JSON));

    @AfterEach
    void tearDown() {
        client.close();
        upstream.close();
    }

    private static PumpSettings settings(Duration ping, Duration idle, Duration total) {
        return new PumpSettings(ping, idle, total, 1 << 20);
    }

    private void run(PumpSettings settings, EventSink sink) {
        AnswerHarness.pump(settings).run(AnswerHarness.attempt(AnswerHarness.plainSpec(), AnswerHarness.chain(false),
                (chat, where) -> client.open(TestRequests.streaming())), sink);
    }

    @Test
    void aDribbledUpstreamStreamsTheGoldenBytes() throws IOException {
        upstream.enqueue(Script.fixture("text-then-tool-call.sse").chunked(13, Duration.ofMillis(1)));
        var out = new ByteArrayOutputStream();
        run(PumpSettings.defaults(), new SseWriter(out, AnswerHarness.JSON, 0));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/text-then-tool-call.sse")),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNonStreamedAnswerIsTheSameMessageAsTheFixtureGives() {
        upstream.enqueue(Script.fixture("parallel-tool-calls-interleaved.sse").chunked(50, Duration.ofMillis(1)));
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        run(PumpSettings.defaults(), aggregator);
        assertEquals(AnswerHarness.aggregate(AnswerHarness.plainSpec(),
                Fixtures.upstream("parallel-tool-calls-interleaved.sse")).message(), aggregator.message());
    }

    @Test
    void pingsKeepTheClientAliveWhileTheUpstreamThinksAndDuringSilences() {
        byte[] body = Fixtures.upstream("finish-length.sse");
        upstream.enqueue(Script.fixture("finish-length.sse").delayHeaders(Duration.ofMillis(300))
                .chunked(body.length / 2 + 1, Duration.ofMillis(300)));
        var recorder = new EventRecorder();
        assertTimeoutPreemptively(QUICK, () -> run(settings(Duration.ofMillis(50), Duration.ZERO, Duration.ZERO),
                recorder));
        List<StreamEvent> events = recorder.events();
        assertTrue(events.get(0) instanceof StreamEvent.MessageStart);
        assertTrue(events.get(1) instanceof StreamEvent.Ping, "a ping while waiting for the headers: " + events);
        int firstContent = indexOf(events, StreamEvent.ContentBlockStart.class);
        int lastContent = indexOf(events, StreamEvent.ContentBlockStop.class);
        assertTrue(events.subList(firstContent, lastContent).stream().anyMatch(e -> e instanceof StreamEvent.Ping),
                "a ping during the mid-answer silence: " + events);
        assertTrue(events.get(events.size() - 1) instanceof StreamEvent.MessageStop, "no ping after the end");
    }

    @Test
    void anUpstreamThatGoesSilentIsAbandonedWithATimeoutError() {
        upstream.enqueue(Script.fixture("truncated-no-done.sse").thenHang());
        var recorder = new EventRecorder();
        assertTimeoutPreemptively(QUICK, () -> run(settings(Duration.ZERO, Duration.ofMillis(200), Duration.ZERO),
                recorder));
        var error = (StreamEvent.Error) recorder.events().get(recorder.events().size() - 1);
        assertEquals(ErrorType.TIMEOUT, error.type());
        assertTrue(error.message().contains("sent nothing"), error.message());
        assertEquals(new StreamEvent.ContentBlockStop(0), recorder.events().get(recorder.events().size() - 2));
    }

    @Test
    void anUpstreamSilentAfterItsFinishReasonCompletesTheAnswerNormally() {
        String body = new String(Fixtures.upstream("finish-length.sse"), StandardCharsets.UTF_8)
                .replace("data: [DONE]\n\n", "");
        upstream.enqueue(Script.stream(body.getBytes(StandardCharsets.UTF_8)).thenHang());
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        assertTimeoutPreemptively(QUICK, () -> run(settings(Duration.ZERO, Duration.ofMillis(200), Duration.ZERO),
                aggregator));
        assertEquals(AnswerHarness.aggregate(AnswerHarness.plainSpec(), Fixtures.upstream("finish-length.sse"))
                .message(), aggregator.message());
    }

    @Test
    void anAnswerOverItsTotalDeadlineIsAbandonedEvenBeforeTheUpstreamAnswers() {
        upstream.enqueue(Script.fixture("finish-length.sse").delayHeaders(Duration.ofSeconds(8)));
        var recorder = new EventRecorder();
        assertTimeoutPreemptively(Duration.ofSeconds(4),
                () -> run(settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(200)), recorder));
        assertEquals(2, recorder.events().size(), recorder.events().toString());
        assertEquals(ErrorType.TIMEOUT, ((StreamEvent.Error) recorder.events().get(1)).type());
        assertTrue(!Thread.currentThread().isInterrupted(), "the pump must not leave its thread interrupted");
    }

    @Test
    void anUpstreamErrorReachesANonStreamingClientWithItsStatusAndRetryAfter() {
        upstream.enqueue(Script.error("nim-429-problem-details"));
        var aggregator = new MessageAggregator(AnswerHarness.JSON);
        run(PumpSettings.defaults(), aggregator);
        ApiError error = assertThrows(ApiError.class, aggregator::message);
        assertEquals(ErrorType.RATE_LIMIT, error.type());
        assertEquals(429, error.status());
        assertEquals("7", error.headers().get("retry-after"));
    }

    @Test
    void aMalformedChunkMidAnswerEndsItWithOneErrorAfterClosingTheOpenBlock() {
        String broken = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"wor\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ld\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        upstream.enqueue(Script.stream(broken.getBytes(StandardCharsets.UTF_8)));
        var recorder = new EventRecorder();
        run(PumpSettings.defaults(), recorder);
        List<StreamEvent> events = recorder.events();
        assertEquals(List.of(StreamEvent.MessageStart.class, StreamEvent.ContentBlockStart.class,
                StreamEvent.ContentBlockDelta.class, StreamEvent.ContentBlockStop.class, StreamEvent.Error.class),
                events.stream().map(Object::getClass).toList());
        assertTrue(((StreamEvent.Error) events.get(4)).message().contains("not valid JSON"));
    }

    @Test
    void aClientThatLeavesMidAnswerAbortsTheUpstreamAtOnce() throws Exception {
        upstream.enqueue(Script.fixture("text-stop-usage-last.sse").thenTrickle(Duration.ofMillis(20)));
        OutputStream leavesAfterTheFirstBlock = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 600) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        assertTimeoutPreemptively(QUICK, () -> run(PumpSettings.defaults(),
                new SseWriter(leavesAfterTheFirstBlock, AnswerHarness.JSON, 0)));
        assertTrue(upstream.awaitClientDisconnect(QUICK), "the upstream connection was left open");
    }

    @Test
    void aClientThatLeavesWhileTheUpstreamThinksIsNoticedByAPingAndTheCallCancelled() {
        upstream.enqueue(Script.fixture("finish-length.sse").delayHeaders(Duration.ofSeconds(8)));
        EventSink failsOnPing = new EventSink() {
            @Override
            public void accept(StreamEvent event) {
                if (event instanceof StreamEvent.Ping) {
                    throw new IllegalStateException("client gone");
                }
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(4),
                () -> run(settings(Duration.ofMillis(50), Duration.ZERO, Duration.ZERO), failsOnPing));
    }

    /**
     * An attempt whose request goes out through {@link UpstreamClient#send}: {@code sent} counts down when it left,
     * {@code abandoned} when the pump gave it up unread.
     */
    private Attempt sendingAttempt(IntSupplier inputTokens, CountDownLatch sent, CountDownLatch abandoned) {
        Attempt spec = AnswerHarness.plainSpec();
        Attempt.Call call = new Attempt.Call() {
            @Override
            public UpstreamResponse open(ChatRequest chat, Upstream where) {
                return send(chat, where).awaitHead();
            }

            @Override
            public PendingResponse send(ChatRequest chat, Upstream where) {
                PendingResponse pending = client.send(TestRequests.streaming(), null, null, Map.of());
                sent.countDown();
                return new PendingResponse() {
                    @Override
                    public UpstreamResponse awaitHead() {
                        return pending.awaitHead();
                    }

                    @Override
                    public void abandon() {
                        abandoned.countDown();
                        pending.abandon();
                    }
                };
            }
        };
        return new Attempt(spec.messageId(), spec.clientModel(), inputTokens, spec.shaping(), spec.toolNames(),
                AnswerHarness.chain(false), spec.chat(), call);
    }

    @Test
    void theUpstreamRequestLeavesBeforeMessageStartWaitsForTheExactCountAndTheBytesAreTheSame() throws IOException {
        upstream.enqueue(Script.fixture("text-then-tool-call.sse").chunked(13, Duration.ofMillis(1)));
        var sent = new CountDownLatch(1);
        IntSupplier exactCountAfterTheSend = () -> {
            try {
                if (!sent.await(QUICK.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("message_start waited for the count before the request was sent");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return 1000; // what AnswerHarness.plainSpec() reports, so the golden bytes hold
        };
        var out = new ByteArrayOutputStream();
        var abandoned = new CountDownLatch(1);
        AnswerHarness.pump(PumpSettings.defaults()).run(sendingAttempt(exactCountAfterTheSend, sent, abandoned),
                new SseWriter(out, AnswerHarness.JSON, 0));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/text-then-tool-call.sse")),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(1, upstream.requests().size());
        assertEquals(1, abandoned.getCount(), "an answer that was read is not abandoned");
    }

    @Test
    void aRequestSentForAClientThatLeftBeforeMessageStartIsAbandoned() throws Exception {
        upstream.enqueue(Script.fixture("finish-length.sse").thenHang()); // open until ncp closes the connection
        var sent = new CountDownLatch(1);
        var abandoned = new CountDownLatch(1);
        EventSink goneAtOnce = new EventSink() {
            @Override
            public void accept(StreamEvent event) {
                throw new IllegalStateException("client gone");
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(4), () -> AnswerHarness.pump(PumpSettings.defaults())
                .run(sendingAttempt(() -> 1000, sent, abandoned), goneAtOnce));
        assertEquals(0, sent.getCount(), "the request was sent");
        assertEquals(0, abandoned.getCount(), "the sent request was abandoned");
        // aborted before or after it reached the upstream: either way no connection stays open for it
        assertTrue(upstream.requests().isEmpty() || upstream.awaitClientDisconnect(QUICK),
                "the upstream still holds the abandoned request's connection");
    }

    @Test
    void whatTheUpstreamHasAlreadySentGoesOutInOneBatch() {
        byte[] body = Fixtures.upstream("text-then-tool-call.sse");
        var recorder = new EventRecorder();
        AnswerHarness.pump(PumpSettings.defaults()).run(AnswerHarness.attempt(AnswerHarness.plainSpec(),
                AnswerHarness.chain(false), (chat, where) -> new UpstreamResponse(new OneEventPerRead(body, true), () -> { })),
                recorder);
        assertEquals(eventsOf(body), recorder.events());
        assertEquals(2, recorder.batches(), "message_start, then the whole body that was already here");
    }

    @Test
    void eachReadBeforeTheUpstreamSendsMoreEndsABatch() {
        byte[] body = Fixtures.upstream("text-then-tool-call.sse");
        var upstreamBody = new OneEventPerRead(body, false);
        var recorder = new EventRecorder();
        AnswerHarness.pump(PumpSettings.defaults()).run(AnswerHarness.attempt(AnswerHarness.plainSpec(),
                AnswerHarness.chain(false), (chat, where) -> new UpstreamResponse(upstreamBody, () -> { })), recorder);
        assertEquals(eventsOf(body), recorder.events());
        assertEquals(1 + upstreamBody.reads, recorder.batches(), "message_start, then one batch per read");
    }

    private static List<StreamEvent> eventsOf(byte[] body) {
        var expected = new EventRecorder();
        AnswerHarness.feed(AnswerHarness.plainSpec(), AnswerHarness.chain(false), expected, body);
        assertTrue(expected.events().size() > 10, "a fixture with many events: " + expected.events());
        return expected.events();
    }

    /** An upstream body read one SSE event at a time, as the JDK client hands over one HTTP chunk per read. */
    private static final class OneEventPerRead extends InputStream {
        private final byte[] body;
        private final boolean restAlreadyHere;
        private int position;
        int reads;

        OneEventPerRead(byte[] body, boolean restAlreadyHere) {
            this.body = body;
            this.restAlreadyHere = restAlreadyHere;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == body.length) {
                return -1;
            }
            int end = position;
            while (end < body.length && !(end > position + 1 && body[end - 1] == '\n' && body[end - 2] == '\n')) {
                end++;
            }
            int n = Math.min(length, end - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            reads++;
            return n;
        }

        @Override
        public int available() {
            return restAlreadyHere ? body.length - position : 0;
        }
    }

    private static int indexOf(List<StreamEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }
}
