package dev.ncp.host.pump;

import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.upstream.PendingResponse;
import dev.ncp.host.upstream.Upstream;
import dev.ncp.host.upstream.UpstreamResponse;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * One upstream attempt of an answer: the chat request sent to one model, how that model's chunks become the
 * client's events, and the call that sends it. A retry makes the same attempt again; a smaller {@code max_tokens}
 * is {@link #withChat}; a fallback model is another attempt from the request's attempt factory.
 *
 * @param messageId   the {@code msg_...} id the client sees (the same for every attempt of an answer)
 * @param clientModel the model name for the client: the one it asked for
 * @param inputTokens input tokens as estimated before the upstream answers (for message_start); asked for when the
 *                    answer starts, by which time its count has long finished
 * @param shaping     the shaped request (model capabilities, stop sequences, tools)
 * @param toolNames   restores the client's tool names from the names sent upstream
 * @param chain       the response processors of this model's answer
 * @param chat        the OpenAI request sent upstream
 * @param call        sends {@code chat} and opens its answer
 * @param upstream    the deployment of the model it goes to, chosen by the resilience layer; null until then (the
 *                    call sends to the default upstream)
 */
public record Attempt(
        String messageId,
        String clientModel,
        IntSupplier inputTokens,
        ShapingContext shaping,
        UnaryOperator<String> toolNames,
        ProcessorChain chain,
        ChatRequest chat,
        Call call,
        Upstream upstream) {

    /**
     * Sends a chat request and opens the upstream answer. The pump awaits the answer after message_start went out,
     * so the client sees the answer begin (and gets pings) while the upstream thinks. It throws an
     * {@link dev.ncp.host.error.ApiError} when there is no answer; an interrupt (the pump aborting a call that takes
     * too long, or whose client left) must make it return promptly.
     */
    @FunctionalInterface
    public interface Call {
        /** @param upstream where to send it; null for the default upstream */
        UpstreamResponse open(ChatRequest chat, Upstream upstream);

        /**
         * Sends a chat request without waiting for its answer, which {@link PendingResponse#awaitHead()} then opens
         * as {@link #open} would. The pump sends the first attempt before message_start (which waits for the exact
         * input token count), so the upstream reads the request meanwhile. By default nothing goes out before the
         * answer is awaited.
         */
        default PendingResponse send(ChatRequest chat, Upstream upstream) {
            return PendingResponse.deferred(() -> open(chat, upstream));
        }
    }

    /** An attempt whose deployment is not chosen yet. */
    public Attempt(String messageId, String clientModel, IntSupplier inputTokens, ShapingContext shaping,
                   UnaryOperator<String> toolNames, ProcessorChain chain, ChatRequest chat, Call call) {
        this(messageId, clientModel, inputTokens, shaping, toolNames, chain, chat, call, null);
    }

    public Attempt {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(clientModel, "clientModel");
        Objects.requireNonNull(inputTokens, "inputTokens");
        Objects.requireNonNull(shaping, "shaping");
        toolNames = toolNames == null ? UnaryOperator.identity() : toolNames;
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(call, "call");
    }

    /** Sends this attempt's chat request. */
    public UpstreamResponse open() {
        return call.open(chat, upstream);
    }

    /**
     * Sends this attempt's chat request without waiting for its answer. What refuses the request at once (a budget,
     * a misconfigured upstream) is thrown when the answer is awaited, where {@link #open()} would throw it, so a
     * refused request still leaves the client its message_start first and may be replaced by another attempt.
     */
    public PendingResponse send() {
        try {
            return call.send(chat, upstream);
        } catch (RuntimeException e) {
            return PendingResponse.deferred(() -> {
                throw e;
            });
        }
    }

    /** The same attempt sending {@code other} instead (e.g. with a smaller {@code max_tokens}). */
    public Attempt withChat(ChatRequest other) {
        return new Attempt(messageId, clientModel, inputTokens, shaping, toolNames, chain, other, call, upstream);
    }

    /** The same attempt sent to {@code deployment}. */
    public Attempt to(Upstream deployment) {
        return new Attempt(messageId, clientModel, inputTokens, shaping, toolNames, chain, chat, call, deployment);
    }

    /** The name of the upstream it goes to ({@code default} until one is chosen). */
    public String upstreamName() {
        return upstream == null ? Upstream.DEFAULT_NAME : upstream.name();
    }

    /** The upstream model this attempt calls. */
    public String model() {
        return chat.model();
    }

    public int estimatedInputTokens() {
        return inputTokens.getAsInt();
    }
}
