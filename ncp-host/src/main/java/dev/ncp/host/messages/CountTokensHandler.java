package dev.ncp.host.messages;

import dev.ncp.host.anthropic.MessagesRequestParser;
import dev.ncp.host.tokens.CountTokensService;
import io.javalin.http.Context;
import java.util.Map;

/** {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}} from the same estimate message_start uses. */
public final class CountTokensHandler {

    private final MessagesRequestParser parser;
    private final CountTokensService counter;

    public CountTokensHandler(MessagesRequestParser parser, CountTokensService counter) {
        this.parser = parser;
        this.counter = counter;
    }

    public void handle(Context ctx) {
        int tokens = counter.countTokens(parser.parse(ctx.bodyAsBytes()));
        ctx.json(Map.of("input_tokens", tokens));
    }
}
