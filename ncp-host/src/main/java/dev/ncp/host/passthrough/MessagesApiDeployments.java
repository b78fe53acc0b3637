package dev.ncp.host.passthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.model.Resolution;
import dev.ncp.host.resilience.DeploymentBreakers;
import dev.ncp.host.upstream.Balancer;
import dev.ncp.host.upstream.Deployments;
import dev.ncp.host.upstream.Upstream;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/messages} for a model whose deployments speak the Messages API themselves ({@code protocol:
 * anthropic} upstreams): the request goes through untranslated to them, with the model named by its upstream id —
 * balanced, failed over and guarded by their breakers as a translated answer is ({@link DeploymentPassThrough});
 * every other request goes on to the translating handler. Either way it has passed the same filters and features
 * (auth, limits, idempotency, sessions) and is traced alike.
 */
public final class MessagesApiDeployments implements Handler {

    private final ModelRegistry registry;
    private final Deployments deployments;
    private final Map<String, AnthropicPassThrough> passThroughs;
    private final DeploymentPassThrough answers;
    private final Handler translated;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param passThroughs one pass-through per Messages API upstream, by upstream name
     * @param breakers     the deployments' circuit breakers, shared with the translated answers
     */
    public MessagesApiDeployments(ModelRegistry registry, Deployments deployments,
                                  Map<String, AnthropicPassThrough> passThroughs, DeploymentBreakers breakers,
                                  Handler translated) {
        this.registry = registry;
        this.deployments = deployments;
        this.passThroughs = Map.copyOf(passThroughs);
        this.answers = new DeploymentPassThrough(passThroughs, new Balancer(), breakers);
        this.translated = translated;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Optional<Target> target = passThroughs.isEmpty() ? Optional.empty() : target(ctx.bodyAsBytes());
        if (target.isEmpty()) {
            translated.handle(ctx);
            return;
        }
        answers.answer(ctx, target.get().model(), target.get().deployments(), target.get().body());
    }

    private record Target(String model, List<Upstream> deployments, byte[] body) {
    }

    /** Where a request for a Messages API deployment goes, with its model as that upstream knows it. */
    private Optional<Target> target(byte[] body) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException malformed) {
            return Optional.empty(); // the translating handler answers it with the parser's 400
        }
        if (root == null || !root.path("model").isTextual()) {
            return Optional.empty();
        }
        Optional<Resolution> resolved = registry.lookup(root.path("model").asText());
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        String id = resolved.get().model().id();
        List<Upstream> on = deployments.forModel(id);
        if (on.isEmpty() || !on.stream().allMatch(Upstream::messagesApi) || on.get(0).isDefault()) {
            return Optional.empty();
        }
        ((ObjectNode) root).put("model", id);
        return Optional.of(new Target(id, on, json.writeValueAsBytes(root)));
    }
}
