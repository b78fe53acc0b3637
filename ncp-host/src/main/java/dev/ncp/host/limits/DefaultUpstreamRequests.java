package dev.ncp.host.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether a {@code POST /v1/messages} body is for the default upstream ({@code NVIDIA_BASE_URL}): its model, as the
 * registry resolves the name, has no named deployments. The upstream gate's {@code NCP_UPSTREAM_RPM} and
 * {@code NCP_MAX_CONCURRENT_STREAMS} are the default upstream's limits (NVIDIA's hosted catalog counts per key); a
 * named upstream has its own {@code rpm} and {@code max_concurrent_streams}, which the balancer keeps, so a request
 * for its models must not spend the default's budget.
 *
 * <p>Decided on the name the client sent, before planning: a body that cannot be read, or a name the registry does
 * not know, counts as the default's (as every request did before named upstreams). A scenario route or a fallback
 * that moves the request to a default-upstream model later takes its share then, at its first call there.
 */
public final class DefaultUpstreamRequests implements Predicate<byte[]> {

    private final ModelRegistry registry;
    private final Deployments deployments;
    private final JsonFactory json = new JsonFactory();

    public DefaultUpstreamRequests(ModelRegistry registry, Deployments deployments) {
        this.registry = registry;
        this.deployments = deployments;
    }

    @Override
    public boolean test(byte[] body) {
        if (deployments.namedDeployments().isEmpty()) {
            return true;
        }
        Optional<String> model;
        try {
            model = topLevelModel(body);
        } catch (IOException | RuntimeException unreadable) {
            return true;
        }
        if (model.isEmpty()) {
            return true;
        }
        return registry.lookup(model.get())
                .map(r -> deployments.forModel(r.model().id()).stream().anyMatch(Upstream::isDefault))
                .orElse(true);
    }

    /** The body's top-level {@code model}, read token by token: messages and tools are skipped, not built. */
    private Optional<String> topLevelModel(byte[] body) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("model".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        }
    }
}
