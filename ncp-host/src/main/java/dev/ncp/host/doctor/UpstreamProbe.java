package dev.ncp.host.doctor;

import dev.ncp.host.config.Config;
import dev.ncp.host.upstream.NvidiaHostedApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Asks the upstream {@code GET {base}/models} with the configured key: the cheapest request that proves both that
 * the upstream answers and that it accepts the key.
 */
final class UpstreamProbe {


    private final HttpClient http;
    private final Duration timeout;

    UpstreamProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    Finding probe(Config config) {
        URI models = URI.create(config.nvidiaBaseUrl() + "/models");
        var request = HttpRequest.newBuilder(models).timeout(timeout).header("Accept", "application/json").GET();
        config.nvidiaApiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Finding.problem("upstream " + models + " did not answer within " + ProbeText.seconds(timeout),
                    "check NVIDIA_BASE_URL and that this machine reaches it (firewall, VPN, proxy)");
        } catch (IOException e) {
            return Finding.problem("cannot reach upstream " + models + " (" + ProbeText.describe(e) + ")",
                    "check NVIDIA_BASE_URL and that this machine reaches it (firewall, VPN, proxy)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.problem("upstream check interrupted", "run ncp doctor again");
        }
        int status = response.statusCode();
        if (status == 200) {
            return Finding.ok("upstream " + models + " answers" + ProbeText.modelCount(response.body())
                    + (config.nvidiaApiKey().isPresent() ? " and accepts the key" : ""));
        }
        if (status == 401 || status == 403) {
            return config.nvidiaApiKey().isPresent()
                    ? Finding.problem("upstream " + models + " rejects the key (HTTP " + status + ")",
                            "check NVIDIA_API_KEY: " + NvidiaHostedApi.KEY_FIX)
                    : Finding.problem("upstream " + models + " needs a key (HTTP " + status + ")",
                            NvidiaHostedApi.KEY_FIX);
        }
        String body = ProbeText.abbreviate(response.body());
        return Finding.problem("upstream " + models + " answers HTTP " + status + (body.isEmpty() ? "" : ": " + body),
                status >= 500 ? "the service has trouble; try again later or set NCP_FALLBACK_MODELS"
                        : "check NVIDIA_BASE_URL: it should end in /v1 of an OpenAI-compatible API");
    }
}
