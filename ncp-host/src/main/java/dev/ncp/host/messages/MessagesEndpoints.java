package dev.ncp.host.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.security.SecuritySettings;
import dev.ncp.host.config.Config;
import dev.ncp.host.guard.TokenBudget;
import dev.ncp.host.model.AdapterSelector;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.model.ScenarioRouter;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.processors.guard.GuardSettings;
import dev.ncp.host.processors.guard.LoopNote;
import dev.ncp.host.processors.guard.OpenModelGuard;
import dev.ncp.host.security.InstallSecret;
import dev.ncp.host.stream.AnswerPump;
import dev.ncp.host.stream.PumpSettings;
import dev.ncp.host.stream.ThinkingSigner;
import dev.ncp.host.translate.CountTokensService;
import dev.ncp.host.translate.HistoryThinking;
import dev.ncp.host.translate.Ids;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.TokenEstimator;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.upstream.UpstreamClient;
import dev.ncp.host.upstream.UpstreamErrorMapper;
import dev.ncp.host.upstream.UpstreamJson;
import dev.ncp.host.upstream.UpstreamSettings;
import dev.ncp.host.passthrough.AnthropicPassThrough;
import dev.ncp.host.resilience.ResilienceEvents;
import dev.ncp.host.resilience.UpstreamResilience;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.List;

/**
 * Assembles the Messages API endpoints from the configuration: parser, planner, response chains, pump, upstream
 * client. The one place these parts are wired together.
 */
public record MessagesEndpoints(Handler messages, Handler countTokens, AutoCloseable upstream)
        implements AutoCloseable {

    /** Vision-capable alias suggested when an image reaches a model without vision. */
    private static final String VISION_HINT = "claude-llama4-maverick";

    public static MessagesEndpoints create(Config config, ModelRegistry registry, List<ModelAdapter> adapters,
                                           List<StreamProcessor> pluginProcessors, Ids ids, Observability observe) {
        return create(config, registry, adapters, pluginProcessors, ids,
                new UpstreamResilience(config.resilience(), registry, config.fallbackModels(), ResilienceEvents.NONE),
                observe);
    }

    /** @param resilience retries, breakers and fallbacks of upstream calls (shared with {@code /health}) */
    public static MessagesEndpoints create(Config config, ModelRegistry registry, List<ModelAdapter> adapters,
                                           List<StreamProcessor> pluginProcessors, Ids ids,
                                           UpstreamResilience resilience, Observability observe) {
        ObjectMapper json = UpstreamJson.newMapper();
        var errors = new UpstreamErrorMapper(json, config.nvidiaApiKey().orElse(null));
        var security = SecuritySettings.from(config);
        if (config.upstreamProtocol() == Config.UpstreamProtocol.ANTHROPIC) {
            var passThrough = new AnthropicPassThrough(config.nvidiaBaseUrl(), config.nvidiaApiKey(),
                    config.resilience().connectTimeout(), config.requestTimeout(), errors, security.maxJsonDepth(),
                    security.maxTools(), observe);
            return new MessagesEndpoints(passThrough::messages, passThrough::countTokens, passThrough);
        }
        var toolIds = new ToolIdCodec();
        var tokens = new TokenEstimator(json);
        var parser = new MessagesRequestParser(json, security.maxJsonDepth(), security.maxTools());
        var signer = new ThinkingSigner(InstallSecret.loadOrCreate(config.dataDirectory()));
        var translator = new RequestTranslator(toolIds, tokens, json, config.routes().image().orElse(VISION_HINT),
                HistoryThinking.verifiedWith(signer));
        var guard = GuardSettings.from(config);
        var planner = new AnswerPlanner(registry, new ScenarioRouter(config.routes(), registry, tokens), translator,
                new TokenBudget(config.defaultMaxTokens(), config.hardMaxTokens(),
                        registry.largestContextWindow()), new AdapterSelector(adapters),
                new LoopNote(guard.loopNote()));
        var chains = new ResponseChains(signer, config.messageDeltaEveryBlock(), pluginProcessors,
                new OpenModelGuard(guard, json));
        var pump = new AnswerPump(pumpSettings(config), json, errors, toolIds, ids);
        var upstream = new UpstreamClient(upstreamSettings(config), json, errors);
        var messages = new MessagesHandler(parser, planner, chains, pump, upstream, resilience, json, ids,
                config.textDeltaChars(), UpstreamKey.check(config), observe);
        var countTokens = new CountTokensHandler(parser, new CountTokensService(tokens));
        return new MessagesEndpoints(messages::handle, countTokens::handle, upstream);
    }

    private static PumpSettings pumpSettings(Config config) {
        var r = config.resilience();
        return new PumpSettings(config.pingInterval(), r.idleTimeout(), config.requestTimeout(),
                PumpSettings.defaults().maxEventBytes(), firstByte(config), PumpSettings.KEEP_ALIVE);
    }

    private static UpstreamSettings upstreamSettings(Config config) {
        var d = UpstreamSettings.of(config.nvidiaBaseUrl(), config.nvidiaApiKey().orElse(null));
        return new UpstreamSettings(d.baseUrl(), d.apiKey(), config.resilience().connectTimeout(), firstByte(config),
                d.http2(), d.maxErrorBodyBytes());
    }

    /** The first byte cannot be later than the whole answer's deadline. */
    private static Duration firstByte(Config config) {
        Duration firstByte = config.resilience().firstByteTimeout();
        return config.requestTimeout().compareTo(firstByte) < 0 ? config.requestTimeout() : firstByte;
    }

    @Override
    public void close() {
        try {
            upstream.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the upstream client failed", e);
        }
    }
}
