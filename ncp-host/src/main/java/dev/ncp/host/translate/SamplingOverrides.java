package dev.ncp.host.translate;

import dev.ncp.api.openai.ChatRequest;
import java.util.Map;

/**
 * Applies {@code ModelInfo.samplingOverrides}: values the model's maintainers require whatever the client sent
 * (DeepSeek R1 wants temperature 0.6). {@code temperature}, {@code top_p} and {@code top_k} replace the request's
 * fields; any other key is set as an extra top-level field (e.g. {@code repetition_penalty}).
 */
final class SamplingOverrides {

    private SamplingOverrides() {
    }

    static ChatRequest apply(ChatRequest chat, Map<String, Object> overrides) {
        ChatRequest out = chat;
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            Object v = e.getValue();
            out = switch (e.getKey()) {
                case "temperature" -> out.withSampling(number(v), out.topP(), out.topK());
                case "top_p" -> out.withSampling(out.temperature(), number(v), out.topK());
                case "top_k" -> out.withSampling(out.temperature(), out.topP(),
                        v instanceof Number n ? n.intValue() : null);
                default -> out.withExtra(e.getKey(), v);
            };
        }
        return out;
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }
}
