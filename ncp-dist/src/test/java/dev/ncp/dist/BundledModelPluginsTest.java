package dev.ncp.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.testing.ScriptedUpstream;
import dev.ncp.host.testing.ScriptedUpstream.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped model plugins work from their shaded jars in the bundle, libraries included. */
class BundledModelPluginsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void qwen3CodersXmlToolCallBecomesAToolUseInTheBundle() throws Exception {
        try (var upstream = ScriptedUpstream.start();
             var ncp = new BundleProcess(work).env("NVIDIA_BASE_URL", upstream.baseUrl().toString())
                     .env("NVIDIA_API_KEY", "nvapi-test-0123456789abcdef")) {
            upstream.enqueue(Script.fixture("qwen3-coder-xml-tool-call-in-text.sse"));
            ncp.start();
            ObjectNode request = JSON.createObjectNode().put("model", "qwen/qwen3-coder-480b-a35b-instruct")
                    .put("max_tokens", 1024);
            request.putArray("messages").addObject().put("role", "user").put("content", "Create /tmp/hello.txt");
            ObjectNode write = request.putArray("tools").addObject().put("name", "Write");
            ObjectNode props = write.putObject("input_schema").put("type", "object").putObject("properties");
            props.putObject("file_path").put("type", "string");
            props.putObject("content").put("type", "string");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(ncp.url("/v1/messages"))).timeout(Duration.ofSeconds(20))
                    .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode message = JSON.readTree(answer.body());
            assertEquals("tool_use", message.path("stop_reason").asText(), answer.body());
            assertEquals("I'll create the file.", message.path("content").path(0).path("text").asText());
            assertEquals("Write", message.path("content").path(1).path("name").asText());
            assertEquals(JSON.readTree("{\"file_path\":\"/tmp/hello.txt\",\"content\":\"hello world\"}"),
                    message.path("content").path(1).path("input"));
        }
    }
}
