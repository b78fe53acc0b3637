package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.Fixtures;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Anthropic TypeScript SDK (the version {@code .ci/install-deps} pins into {@code .ci/.cache}) streaming
 * a tool call through the real bundle with {@code R2_STREAM_VISUALIZATION=true}: its iterator hands the
 * {@code ncp_visualization} frames out as raw events of types it does not know, its accumulator skips them, and
 * {@code finalMessage()} is the same message as with the side channel off.
 */
class TypeScriptSdkSideChannelTest {

    /** Where {@code .ci/install-deps} installs the pinned SDK, relative to the repository root. */
    static final String INSTALLED = ".ci/.cache/anthropic-sdk/node_modules/@anthropic-ai/sdk";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ANTHROPIC_EVENTS = List.of("message_start", "content_block_start",
            "content_block_delta", "content_block_stop", "message_delta", "message_stop");

    @TempDir
    Path work;

    @Test
    void aStreamedToolCallEndsInTheSameFinalMessageWithTheSideChannelOn() throws Exception {
        JsonNode plain = streamThroughNcp("false");
        JsonNode withSideChannel = streamThroughNcp("true");

        assertTrue(withSideChannel.path("eventTypes").toString().contains("\"tool_call\""),
                "the side channel reached the SDK, or this test proved nothing: " + withSideChannel.path("eventTypes"));
        for (JsonNode type : plain.path("eventTypes")) {
            assertTrue(ANTHROPIC_EVENTS.contains(type.asText()), "without the side channel: only Anthropic events");
        }

        JsonNode message = withSideChannel.path("message");
        assertEquals("tool_use", message.path("stop_reason").asText(), message.toString());
        assertEquals("text", message.path("content").path(0).path("type").asText(), message.toString());
        assertEquals("Let me check.", message.path("content").path(0).path("text").asText());
        JsonNode tool = message.path("content").path(1);
        assertEquals("tool_use", tool.path("type").asText(), message.toString());
        assertEquals("Bash", tool.path("name").asText());
        assertEquals(JSON.readTree("{\"command\":\"ls -la /tmp && echo \\\"done\\\"\",\"description\":\"List files\"}"),
                tool.path("input"));
        assertEquals(48, message.path("usage").path("output_tokens").asInt(), message.toString());
        assertEquals(2, message.path("content").size(), message.toString());
        assertEquals(withoutIds(plain.path("message")), withoutIds(message),
                "the final message is the same with and without the side channel");
    }

    /** One run of the SDK script against a fresh bundle with the side channel {@code sideChannel}. */
    private JsonNode streamThroughNcp(String sideChannel) throws Exception {
        Path sdk = BundleProcess.REPOSITORY_ROOT.resolve(INSTALLED);
        if (!Files.isRegularFile(sdk.resolve("package.json"))) {
            fail("the Anthropic TypeScript SDK is not installed at " + sdk + ": run .ci/install-deps");
        }
        Path script = work.resolve("stream-tool-call.cjs");
        Files.write(script, Fixtures.resource("/typescript-sdk/stream-tool-call.cjs"));
        try (var upstream = ScriptedUpstream.start();
                var ncp = new BundleProcess(Files.createDirectories(work.resolve("side-channel-" + sideChannel)))) {
            upstream.enqueue(Script.fixture("text-then-tool-call.sse"));
            ncp.env("NVIDIA_BASE_URL", upstream.baseUrl().toString()).env("NVIDIA_API_KEY", "nvapi-ts-sdk-0123456789")
                    .env("R2_STREAM_VISUALIZATION", sideChannel).start();
            var node = new ProcessBuilder("node", script.toString()).redirectInput(new File("/dev/null"));
            node.environment().keySet().removeIf(k -> k.startsWith("ANTHROPIC_"));
            node.environment().putAll(Map.of("NCP_ANTHROPIC_SDK", sdk.toString(),
                    "ANTHROPIC_BASE_URL", ncp.url(""), "ANTHROPIC_API_KEY", "ncp"));
            Path out = work.resolve("node-" + sideChannel + ".out");
            Path err = work.resolve("node-" + sideChannel + ".err");
            Process process = node.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("the SDK script did not finish within 60 s: " + Files.readString(err));
            }
            assertEquals(0, process.exitValue(), "the SDK failed: " + Files.readString(err));
            assertFalse(upstream.requests().isEmpty(), "the request reached the upstream");
            return JSON.readTree(Files.readString(out));
        }
    }

    private static JsonNode withoutIds(JsonNode message) {
        ObjectNode copy = message.deepCopy();
        copy.remove("id");
        copy.withArray("content").forEach(block -> ((ObjectNode) block).remove("id"));
        return copy;
    }
}
