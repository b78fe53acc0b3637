package dev.ncp.host.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.UpstreamDefinition;
import dev.ncp.host.response.UpstreamErrorMapper;
import dev.ncp.host.response.UpstreamJson;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import dev.ncp.host.upstream.UpstreamClient;
import dev.ncp.host.upstream.UpstreamSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the {@link Deployments} from the configuration: the default upstream ({@code NVIDIA_BASE_URL} with
 * {@code NVIDIA_API_KEY}) and each named upstream of the {@code upstreams:} section with its own client, key,
 * headers, deadlines and limits. Each client's error mapper masks that upstream's own key, so no upstream's answer
 * can echo its key to a client.
 */
final class UpstreamDeployments {

    private UpstreamDeployments() {
    }

    static Deployments build(Config config, UpstreamSettings defaults, Duration firstByte) {
        ObjectMapper json = UpstreamJson.newMapper();
        boolean defaultSpeaksMessages = config.upstreamProtocol() == Config.UpstreamProtocol.ANTHROPIC;
        var defaultUpstream = new Upstream(Upstream.DEFAULT_NAME, defaults.baseUrl(), defaultSpeaksMessages, 1, 0, 0,
                defaultSpeaksMessages ? null : new UpstreamClient(defaults, json,
                        new UpstreamErrorMapper(json, defaults.apiKey())), System::nanoTime);
        Map<String, Upstream> named = new LinkedHashMap<>();
        try {
            for (UpstreamDefinition d : config.userModels().upstreams().values()) {
                named.put(d.name(), upstream(d, defaults, firstByte, json));
            }
        } catch (RuntimeException e) {
            Deployments.only(defaultUpstream).close();
            named.values().forEach(u -> {
                if (u.client() != null) {
                    u.client().close();
                }
            });
            throw e;
        }
        return new Deployments(defaultUpstream, named, config.userModels().deployments());
    }

    private static Upstream upstream(UpstreamDefinition d, UpstreamSettings defaults, Duration firstByte,
                                     ObjectMapper json) {
        boolean messages = d.protocol() == Config.UpstreamProtocol.ANTHROPIC;
        String key = d.apiKey().orElse(null);
        var settings = new UpstreamSettings(d.baseUrl(), key, d.connectTimeout().orElse(defaults.connectTimeout()),
                d.firstByteTimeout().orElse(firstByte), d.http2(), defaults.maxErrorBodyBytes(), d.headers());
        return new Upstream(d.name(), d.baseUrl(), messages, d.weight(), d.maxConcurrentStreams(), d.rpm(),
                messages ? null : new UpstreamClient(settings, json, new UpstreamErrorMapper(json, key)),
                System::nanoTime);
    }
}
