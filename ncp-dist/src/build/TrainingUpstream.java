import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The upstream of the start-up cache's training run (cds-archive.sh), run by the JDK's source launcher
 * ({@code java TrainingUpstream.java}): an OpenAI-compatible chat-completions endpoint on a free loopback port that
 * streams what a NIM model streams — text, one tool call's arguments (when the request declares tools), or reasoning
 * then text (when the request says {@code train:thinking}) — 60 chunks each, then finish, usage and {@code [DONE]}.
 * With it the training run goes through the whole answer path (decoding, translation, SSE, aggregation), so the
 * cache's method profiles cover what a user's first requests run. Prints its port, serves until killed.
 */
public final class TrainingUpstream {

    private static final int CHUNKS = 60;

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", TrainingUpstream::handle);
        server.start();
        System.out.println(server.getAddress().getPort());
        System.out.flush();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/models")) {
                byte[] list = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, list.length);
                exchange.getResponseBody().write(list);
                return;
            }
            if (!path.endsWith("/chat/completions")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String kind = body.contains("train:thinking") ? "thinking" : body.contains("\"tools\"") ? "tool" : "text";
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String data : frames(kind)) {
                out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // ncp hung up (a training request that stops early): nothing to do
        }
    }

    private static List<String> frames(String kind) {
        String head = "{\"id\":\"chatcmpl-train\",\"object\":\"chat.completion.chunk\",\"created\":1764070000,"
                + "\"model\":\"scripted\",\"choices\":[";
        List<String> data = new ArrayList<>();
        data.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        for (int i = 0; i < CHUNKS; i++) {
            String delta = switch (kind) {
                case "tool" -> i == 0
                        ? "{\"tool_calls\":[{\"index\":0,\"id\":\"call_train\",\"type\":\"function\",\"function\":"
                        + "{\"name\":\"Bash\",\"arguments\":\"{\\\"command\\\": \\\"\"}}]}"
                        : "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                        + (i == CHUNKS - 1 ? "ls\\\"}" : "echo " + i + "; ") + "\"}}]}";
                case "thinking" -> i < CHUNKS / 2 ? "{\"reasoning_content\":\"step " + i + " \"}"
                        : "{\"content\":\"word" + i + " \"}";
                default -> "{\"content\":\"word" + i + " \"}";
            };
            data.add(head + "{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}");
        }
        String finish = kind.equals("tool") ? "tool_calls" : "stop";
        data.add(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"" + finish + "\"}]}");
        data.add(head + "],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":" + CHUNKS + "}}");
        data.add("[DONE]");
        return data;
    }
}
