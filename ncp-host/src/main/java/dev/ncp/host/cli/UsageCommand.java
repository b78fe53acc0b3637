package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncp usage}: a running ncp's {@code GET /v1/ncp/usage} as a table — requests, tokens and errors per key and
 * model (or any grouping the endpoint takes).
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show requests, tokens and errors per key and model, from a running ncp.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the report was printed",
                "1:ncp did not answer or refused the request", "2:bad configuration"},
        footerHeading = "%nExample:%n", footer = "  ncp usage --group-by principal,model --from 2026-12-01T00:00:00Z")
final class UsageCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOptions options;

    @Option(names = "--url", description = "The ncp to ask (default http://PROXY_HOST:PROXY_PORT).")
    String url;

    @Option(names = "--api-key", description = "The key to ask with (default ANTHROPIC_API_KEY, else PROXY_API_KEY);"
            + " an operator key sees every key's usage, any other key its own.")
    String apiKey;

    @Option(names = "--from", description = "Start, ISO-8601 (2026-01-31 or 2026-01-31T09:00:00Z); default 24 h ago.")
    String from;

    @Option(names = "--to", description = "End, ISO-8601; default now.")
    String to;

    @Option(names = "--group-by", defaultValue = "principal,model",
            description = "Any of principal, model, upstream, outcome, day, hour (default: ${DEFAULT-VALUE}).")
    String groupBy;

    @Option(names = "--json", description = "Print the endpoint's JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        Config config = options.load(null, null);
        String base = url != null ? url : "http://" + hostOf(config) + ":" + config.port();
        URI uri = URI.create(base.replaceAll("/+$", "") + "/v1/ncp/usage?" + query());
        String key = apiKey != null ? apiKey
                : firstNonBlank(System.getenv("ANTHROPIC_API_KEY"), config.proxyApiKey().orElse(null));
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (key != null) {
            request.header("x-api-key", key);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            if (response.statusCode() != 200) {
                System.err.println("ncp usage: " + response.statusCode() + " "
                        + body.path("error").path("message").asText(response.body()));
                return 1;
            }
            System.out.print(json ? body.toPrettyString() + "\n" : UsageTable.render(body));
            return 0;
        } catch (IOException e) {
            System.err.println("ncp usage: no ncp answers at " + base + " (" + e.getMessage()
                    + "); start it with ncp proxy, or name it with --url.");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private String query() {
        List<String> params = new ArrayList<>();
        params.add("group_by=" + encode(groupBy));
        if (from != null) {
            params.add("from=" + encode(from));
        }
        if (to != null) {
            params.add("to=" + encode(to));
        }
        return String.join("&", params);
    }

    /** A wildcard bind address is reached on loopback. */
    private static String hostOf(Config config) {
        String host = config.host();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
