package dev.ncp.host.plan;

import dev.ncp.api.openai.ChatRequest;
import dev.ncp.host.pump.AnswerSource;
import java.util.function.Function;

/**
 * The request as planned for one model: the chat request to send, and how to make an attempt that sends a chat
 * request (this one, or a copy with a smaller {@code max_tokens}).
 */
public record PlannedAttempt(ChatRequest chat, Function<ChatRequest, AnswerSource> source) {
}
