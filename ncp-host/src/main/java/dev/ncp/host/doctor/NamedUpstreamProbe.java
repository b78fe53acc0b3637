package dev.ncp.host.doctor;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.Secrets;
import dev.ncp.host.config.UpstreamDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Checks one named upstream of the {@code upstreams:} section the way ncp will call it: with its own key (from its
 * {@code api_key_env}) and extra headers, asking {@code GET {base_url}/models} — the cheapest request that proves the
 * upstream answers and accepts the key. Both protocols answer it: an OpenAI-compatible NIM lists its models there,
 * and so do NIM's Messages API and Anthropic's own (asked with {@code anthropic-version} and {@code x-api-key}, as
 * the pass-through sends its answers). Each finding names the upstream, its protocol and base URL, never its key.
 */
final class NamedUpstreamProbe {

    private static final String ANTHROPIC_VERSION = "2023-06-01";

    private final HttpClient http;
    private final Duration timeout;

    NamedUpstreamProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    Finding probe(UpstreamDefinition upstream) {
        String who = "upstream " + upstream.name() + " (" + protocol(upstream) + ", " + upstream.baseUrl() + ")";
        String baseUrlField = "upstreams." + upstream.name() + ".base_url";
        if (upstream.keyMissing()) {
            String variable = upstream.apiKeyEnv().orElseThrow();
            return Finding.problem(who + ": its key variable " + variable + " is not set",
                    "set " + variable + " (export " + variable + "=... or a line in ~/.ncp/.env), or drop"
                            + " upstreams." + upstream.name() + ".api_key_env if it needs no key");
        }
        URI models = URI.create(trimmed(upstream.baseUrl().toString()) + "/models");
        HttpResponse<String> response;
        try {
            response = http.send(request(upstream, models), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Finding.problem(who + " did not answer GET /models within " + ProbeText.seconds(timeout),
                    "check " + baseUrlField + " and that this machine reaches it (firewall, VPN, proxy)");
        } catch (IOException e) {
            return Finding.problem("cannot reach " + who + " (" + ProbeText.describe(e) + ")",
                    "check " + baseUrlField + " and that this machine reaches it (firewall, VPN, proxy)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.problem(who + ": check interrupted", "run ncp doctor again");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Finding.ok(who + " answers" + ProbeText.modelCount(response.body())
                    + upstream.apiKeyEnv().map(v -> " and accepts the key in " + v).orElse(""));
        }
        if (status == 401 || status == 403) {
            return upstream.apiKeyEnv().isPresent()
                    ? Finding.problem(who + " rejects the key in " + upstream.apiKeyEnv().get() + " (HTTP " + status
                            + ")", "check " + upstream.apiKeyEnv().get() + ": it must hold a key " + upstream.name()
                            + " accepts")
                    : Finding.problem(who + " needs a key (HTTP " + status + ")",
                            "add api_key_env: NAME to upstreams." + upstream.name()
                                    + " and export NAME=<its key>");
        }
        String body = ProbeText.abbreviate(masked(response.body(), upstream));
        String what = who + " answers GET /models with HTTP " + status + (body.isEmpty() ? "" : ": " + body);
        if (status == 404) {
            return Finding.problem(what, "check " + baseUrlField + ": " + (upstream.protocol()
                    == Config.UpstreamProtocol.ANTHROPIC
                    ? "it should be the Messages API's root, where /messages answers (e.g. http://host:8000/v1)"
                    : "it should end in /v1 of an OpenAI-compatible API (e.g. http://host:8000/v1)"));
        }
        return Finding.problem(what, status >= 500
                ? "the service has trouble; try again later (its models' other deployments take its requests)"
                : "check " + baseUrlField + " and upstreams." + upstream.name() + ".headers");
    }

    private HttpRequest request(UpstreamDefinition upstream, URI models) {
        var request = HttpRequest.newBuilder(models).timeout(timeout).header("Accept", "application/json").GET();
        upstream.headers().forEach(request::header);
        boolean messagesApi = upstream.protocol() == Config.UpstreamProtocol.ANTHROPIC;
        if (messagesApi) {
            request.header("anthropic-version", ANTHROPIC_VERSION);
        }
        upstream.apiKey().ifPresent(key -> {
            request.header("Authorization", "Bearer " + key);
            if (messagesApi) {
                request.header("x-api-key", key);
            }
        });
        return request.build();
    }

    private static String protocol(UpstreamDefinition upstream) {
        return upstream.protocol().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String trimmed(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** An upstream that echoes the key in its error must not get it printed. */
    private static String masked(String body, UpstreamDefinition upstream) {
        return upstream.apiKey().map(key -> body.replace(key, Secrets.mask(key))).orElse(body);
    }
}
