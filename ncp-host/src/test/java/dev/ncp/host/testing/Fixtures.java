package dev.ncp.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The shared upstream fixtures, read from the test classpath ({@code fixtures/upstream/}), so other modules'
 * tests can use them through ncp-host's test-jar.
 */
public final class Fixtures {

    /** Every recorded upstream stream, by file name. */
    public static final List<String> UPSTREAM_STREAMS = List.of(
            "content-filter.sse",
            "error-chunk-mid-stream.sse",
            "finish-length.sse",
            "kimi-tool-call-id.sse",
            "no-usage-chunk.sse",
            "parallel-tool-calls-interleaved.sse",
            "qwen3-coder-xml-tool-call-in-text.sse",
            "reasoning-content-then-text.sse",
            "stop-sequence-matched.sse",
            "text-stop-usage-last.sse",
            "text-then-tool-call.sse",
            "think-tags-in-content.sse",
            "tool-call-finish-stop.sse",
            "tool-call-without-id.sse",
            "truncated-no-done.sse");

    private Fixtures() {
    }

    /** The exact bytes of {@code fixtures/upstream/<name>}. */
    public static byte[] upstream(String name) {
        return resource("/fixtures/upstream/" + name);
    }

    /** {@code fixtures/upstream/errors.json}: name → {status, headers?, body}. */
    public static JsonNode upstreamErrors() {
        try {
            return new ObjectMapper().readTree(upstream("errors.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the entries of errors.json. */
    public static List<String> upstreamErrorNames() {
        var names = new ArrayList<String>();
        for (Iterator<String> it = upstreamErrors().fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    public static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
