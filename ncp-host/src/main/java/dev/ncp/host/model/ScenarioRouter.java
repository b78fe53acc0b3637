package dev.ncp.host.model;

import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.ScenarioRoutes;
import dev.ncp.host.tokens.InputTokens;
import dev.ncp.host.tokens.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario routing, as claude-code-router users know it, between model resolution and translation. A request may
 * be sent to another model than the one its name resolves to, in this order (the first that applies wins):
 * <ol>
 *   <li>{@code longContext}: the estimated input is over the threshold;</li>
 *   <li>{@code subagent}: the system prompt carries {@code <CCR-SUBAGENT-MODEL>NAME</CCR-SUBAGENT-MODEL>} (a
 *       custom agent's own model, claude-code-router's convention; the tag is always removed from the prompt), or
 *       the request comes from a Claude Code subagent ({@code x-claude-code-agent-id}) and a subagent route is set;</li>
 *   <li>{@code background}: a haiku-class name (Claude Code's title, summary and quick-check calls);</li>
 *   <li>{@code think}: thinking is enabled or adaptive;</li>
 * </ol>
 * and then {@code image}: when the request holds an image and the model chosen so far cannot see, the image route
 * wins — a model without vision could only answer 400. The order is claude-code-router's (long context, subagent,
 * background, think), with image last because it only steps in when it must.
 *
 * <p>A request that names a NIM id ({@code org/name}) is an explicit choice and is never rerouted. The route taken is
 * {@code scenario:<name>-><how the target resolved>}, e.g. {@code scenario:think->alias}, in the
 * {@code x-ncp-route} header and a log line.
 */
public final class ScenarioRouter {

    private static final Logger log = LoggerFactory.getLogger(ScenarioRouter.class);

    /** claude-code-router's per-agent model tag; the value may be {@code provider,model} (the provider is ignored). */
    static final Pattern SUBAGENT_TAG = Pattern.compile("<CCR-SUBAGENT-MODEL>(.*?)</CCR-SUBAGENT-MODEL>\\s*",
            Pattern.DOTALL);

    private final ScenarioRoutes routes;
    private final ModelRegistry registry;
    private final TokenEstimator tokens;

    /**
     * @throws ConfigException when a route names something that resolves to no model
     */
    public ScenarioRouter(ScenarioRoutes routes, ModelRegistry registry, TokenEstimator tokens) {
        this.routes = routes;
        this.registry = registry;
        this.tokens = tokens;
        check("NCP_ROUTE_BACKGROUND", routes.background());
        check("NCP_ROUTE_THINK", routes.think());
        check("NCP_ROUTE_LONG_CONTEXT", routes.longContext());
        check("NCP_ROUTE_IMAGE", routes.image());
        check("NCP_ROUTE_SUBAGENT", routes.subagent());
        routes.image().map(registry::resolve).filter(r -> !r.model().capabilities().vision()).ifPresent(r ->
                log.warn("NCP_ROUTE_IMAGE={} resolves to {}, which the registry does not list as vision-capable;"
                        + " set vision: true for it in models.yaml if it can see images", r.requested(),
                        r.model().id()));
    }

    /**
     * The outcome of routing.
     *
     * @param request      the request to translate (without the subagent tag)
     * @param resolution   the model to call and how it was chosen
     * @param clientChosen the model name the client itself picked through the subagent tag, else empty; the caller
     *                     checks the client may use it
     * @param inputTokens  the routed request's input count, started as soon as the request is known (its exact
     *                     count runs while the request is translated)
     */
    public record Routed(MessagesRequest request, Resolution resolution, Optional<String> clientChosen,
                         InputTokens inputTokens) {
    }

    /**
     * @param resolved        what the requested name resolves to
     * @param subagentRequest whether the request carries Claude Code's subagent header
     */
    public Routed route(MessagesRequest request, Resolution resolved, boolean subagentRequest) {
        Optional<String> tag = tagModel(request.system());
        MessagesRequest req = tag.isPresent() ? request.withSystem(withoutTag(request.system())) : request;
        if (tag.isPresent() && registry.lookup(tag.get()).isEmpty()) {
            log.warn("<CCR-SUBAGENT-MODEL>{}</CCR-SUBAGENT-MODEL> names no model ncp knows; tag ignored", tag.get());
            tag = Optional.empty();
        }
        InputTokens inputTokens = tokens.start(req);
        if (resolved.route().equals("direct")) {
            return new Routed(req, resolved, Optional.empty(), inputTokens);
        }
        Scenario chosen = choose(req, inputTokens, tag, subagentRequest);
        Resolution result = chosen == null ? resolved : to(chosen, resolved);
        if (routes.image().isPresent() && !result.model().capabilities().vision() && hasImage(req)) {
            chosen = new Scenario("image", routes.image().get(), "an image for a model without vision");
            result = to(chosen, resolved);
        }
        Optional<String> clientChosen = chosen != null && chosen.name().equals("subagent") && tag.isPresent()
                ? tag : Optional.empty();
        return new Routed(req, result, clientChosen, inputTokens);
    }

    private record Scenario(String name, String target, String reason) {
    }

    private Scenario choose(MessagesRequest req, InputTokens input, Optional<String> tag, boolean subagentRequest) {
        // An upper bound at or below the threshold settles it; otherwise the exact count decides (and is logged).
        if (routes.longContext().isPresent() && input.upper() > routes.longContextThreshold()) {
            int estimate = input.exact();
            if (estimate > routes.longContextThreshold()) {
                return new Scenario("longContext", routes.longContext().get(), "about " + estimate
                        + " input tokens > " + routes.longContextThreshold());
            }
        }
        if (tag.isPresent()) {
            return new Scenario("subagent", tag.get(), "CCR-SUBAGENT-MODEL tag");
        }
        if (subagentRequest && routes.subagent().isPresent()) {
            return new Scenario("subagent", routes.subagent().get(), "Claude Code subagent");
        }
        if (routes.background().isPresent()
                && ClaudeFamily.of(req.model()).filter(f -> f == ClaudeFamily.HAIKU).isPresent()) {
            return new Scenario("background", routes.background().get(), "haiku-class request");
        }
        if (routes.think().isPresent() && req.thinking() != null && !"disabled".equals(req.thinking().type())) {
            return new Scenario("think", routes.think().get(), "thinking " + req.thinking().type());
        }
        return null;
    }

    private Resolution to(Scenario scenario, Resolution resolved) {
        Resolution target = registry.resolve(scenario.target());
        log.info("scenario {}: {} -> {} ({}; was {})", scenario.name(), resolved.requested(), target.model().id(),
                scenario.reason(), resolved.model().id());
        return new Resolution(resolved.requested(), target.model(),
                "scenario:" + scenario.name() + "->" + target.route());
    }

    private void check(String setting, Optional<String> target) {
        if (target.isPresent() && registry.lookup(target.get()).isEmpty()) {
            throw new ConfigException(setting + "=" + target.get() + " is not valid: it names no model ncp knows;"
                    + " use an alias from GET /v1/models, a Claude name, a NIM id such as"
                    + " qwen/qwen3-coder-480b-a35b-instruct, or an id your models.yaml describes.");
        }
    }

    private static Optional<String> tagModel(List<ContentBlock> system) {
        for (ContentBlock block : system) {
            if (block instanceof ContentBlock.Text t && t.text() != null) {
                Matcher m = SUBAGENT_TAG.matcher(t.text());
                if (m.find()) {
                    String value = m.group(1).strip();
                    value = value.substring(value.lastIndexOf(',') + 1).strip(); // "provider,model" → "model"
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<ContentBlock> withoutTag(List<ContentBlock> system) {
        var out = new ArrayList<ContentBlock>(system.size());
        for (ContentBlock block : system) {
            out.add(block instanceof ContentBlock.Text t && t.text() != null
                    ? new ContentBlock.Text(SUBAGENT_TAG.matcher(t.text()).replaceAll("")) : block);
        }
        return out;
    }

    private static boolean hasImage(MessagesRequest request) {
        for (InputMessage message : request.messages()) {
            for (ContentBlock block : message.content()) {
                if (block instanceof ContentBlock.Image || block instanceof ContentBlock.ToolResult r
                        && r.content() != null && r.content().stream().anyMatch(ContentBlock.Image.class::isInstance)) {
                    return true;
                }
            }
        }
        return false;
    }
}
