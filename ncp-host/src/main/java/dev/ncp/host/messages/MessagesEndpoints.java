package dev.ncp.host.messages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.config.Config;
import dev.ncp.host.guard.TokenBudget;
import dev.ncp.host.model.AdapterSelector;
import dev.ncp.host.model.ModelRegistry;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.security.InstallSecret;
import dev.ncp.host.stream.AnswerPump;
import dev.ncp.host.stream.PumpSettings;
import dev.ncp.host.stream.ThinkingSigner;
import dev.ncp.host.translate.CountTokensService;
import dev.ncp.host.translate.Ids;
import dev.ncp.host.translate.RequestTranslator;
import dev.ncp.host.translate.TokenEstimator;
import dev.ncp.host.translate.ToolIdCodec;
import dev.ncp.host.upstream.UpstreamClient;
import dev.ncp.host.upstream.UpstreamErrorMapper;
import dev.ncp.host.upstream.UpstreamJson;
import dev.ncp.host.upstream.UpstreamSettings;
import dev.ncp.host.passthrough.AnthropicPassThrough;
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
        ObjectMapper json = UpstreamJson.newMapper();
        var errors = new UpstreamErrorMapper(json, config.nvidiaApiKey().orElse(null));
        if (config.upstreamProtocol() == Config.UpstreamProtocol.ANTHROPIC) {
            var passThrough = new AnthropicPassThrough(config.nvidiaBaseUrl(), config.nvidiaApiKey(),
                    Duration.ofSeconds(10), config.requestTimeout(), errors);
            return new MessagesEndpoints(passThrough::messages, passThrough::countTokens, passThrough);
        }
        var toolIds = new ToolIdCodec();
        var tokens = new TokenEstimator(json);
        var parser = new MessagesRequestParser(json);
        var planner = new AnswerPlanner(registry, new RequestTranslator(toolIds, tokens, json, VISION_HINT),
                new TokenBudget(config.defaultMaxTokens(), config.hardMaxTokens()), new AdapterSelector(adapters));
        var signer = new ThinkingSigner(InstallSecret.loadOrCreate(config.dataDirectory()));
        var chains = new ResponseChains(signer, config.messageDeltaEveryBlock(), pluginProcessors);
        PumpSettings defaults = PumpSettings.defaults();
        var pump = new AnswerPump(new PumpSettings(config.pingInterval(), defaults.idleTimeout(),
                config.requestTimeout(), defaults.maxEventBytes()), json, errors, toolIds, ids);
        var upstream = new UpstreamClient(upstreamSettings(config), json, errors);
        var messages = new MessagesHandler(parser, planner, chains, pump, upstream, json, ids,
                config.textDeltaChars(), UpstreamKey.check(config), observe);
        var countTokens = new CountTokensHandler(parser, new CountTokensService(tokens));
        return new MessagesEndpoints(messages::handle, countTokens::handle, upstream);
    }

    private static UpstreamSettings upstreamSettings(Config config) {
        var d = UpstreamSettings.of(config.nvidiaBaseUrl(), config.nvidiaApiKey().orElse(null));
        Duration firstByte = config.requestTimeout().compareTo(d.firstByteTimeout()) < 0
                ? config.requestTimeout() : d.firstByteTimeout();
        return new UpstreamSettings(d.baseUrl(), d.apiKey(), d.connectTimeout(), firstByte, d.http2(),
                d.maxErrorBodyBytes());
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
