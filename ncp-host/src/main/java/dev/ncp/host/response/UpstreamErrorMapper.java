package dev.ncp.host.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.config.Secrets;
import dev.ncp.host.error.ApiError;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the upstream says when it fails into the {@link ApiError} a client understands. Reads the three body
 * shapes in use: OpenAI's {@code {"error":{"message","type","code"}}}, vLLM's {@code {"object":"error","message"}}
 * and NIM's problem details {@code {"status","title","detail"}}; anything else (a gateway's HTML page) is reduced
 * to its text. Messages say it was the upstream, and what to do; they never contain the API key, not even when
 * the upstream (a gateway, a proxy) echoes it back in its own message: it is masked before anything else.
 */
public final class UpstreamErrorMapper {

    private static final int MAX_MESSAGE_CHARS = 1000;
    /** vLLM: "maximum context length is 131072 tokens. However, you requested 140000 tokens (...)". */
    private static final Pattern VLLM_CONTEXT = Pattern.compile(
            "maximum context length is (\\d+) tokens\\. However, you requested (\\d+) tokens");
    /** vLLM: "The input (200512 tokens) is longer than the model's context length (131072 tokens)". */
    private static final Pattern VLLM_INPUT = Pattern.compile(
            "input \\((\\d+) tokens\\) is longer than the model's context length \\((\\d+) tokens\\)");

    /** vLLM's breakdown after VLLM_CONTEXT: "(123616 in the messages, 16384 in the completion)". */
    private static final Pattern VLLM_BREAKDOWN = Pattern.compile("\\((\\d+) in the messages");

    private final ObjectMapper mapper;
    /** The upstream API key, masked wherever the upstream's text repeats it; null when there is none. */
    private final String apiKey;

    public UpstreamErrorMapper(ObjectMapper mapper) {
        this(mapper, null);
    }

    public UpstreamErrorMapper(ObjectMapper mapper, String apiKey) {
        this.mapper = mapper;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    /**
     * An upstream answer with a non-2xx status.
     *
     * @param headers response headers with lower-case names (only {@code retry-after} is read)
     * @param model   the upstream model id the request named, for not-found messages
     */
    public ApiError fromResponse(int status, Map<String, String> headers, String body, String model) {
        String detail = clean(withoutKey(messageOf(body)));
        String what = detail.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + detail;
        String retryAfter = headers.get("retry-after");
        Map<String, String> extra = retryAfter == null ? Map.of() : Map.of("retry-after", retryAfter.strip());
        return switch (status) {
            case 400, 422 -> invalidRequest(status, detail.isEmpty() ? what : detail);
            case 401 -> new ApiError(ErrorType.AUTHENTICATION, status,
                    "The upstream rejected ncp's API key (" + what + "). Check NVIDIA_API_KEY.", extra);
            case 402 -> new ApiError(ErrorType.BILLING, status, "The upstream refused to bill (" + what + ").", extra);
            case 403 -> new ApiError(ErrorType.PERMISSION, status, "The upstream refused access to model '" + model
                    + "' (" + what + "). Check that NVIDIA_API_KEY may use it.", extra);
            case 404 -> new ApiError(ErrorType.NOT_FOUND, status,
                    "Model '" + model + "' was not found upstream (" + what + ").", extra);
            case 410 -> new ApiError(ErrorType.NOT_FOUND, ErrorType.NOT_FOUND.httpStatus(),
                    "Model '" + model + "' is no longer served upstream (" + what + ").", extra);
            case 413 -> new ApiError(ErrorType.REQUEST_TOO_LARGE, status,
                    "The request is too large for the upstream (" + what + ").", extra);
            case 429 -> new ApiError(ErrorType.RATE_LIMIT, status, "The upstream is rate limiting requests ("
                    + what + ")" + (retryAfter == null ? "." : "; retry after " + retryAfter.strip() + " s."), extra);
            // Anthropic's overloaded_error is always 529, which its SDKs and Claude Code treat as "overloaded".
            case 503, 529 -> new ApiError(ErrorType.OVERLOADED, ErrorType.OVERLOADED.httpStatus(),
                    "The upstream is overloaded (" + what + ").", extra);
            default -> status >= 400 && status < 500
                    ? new ApiError(ErrorType.INVALID_REQUEST, status, "The upstream refused the request (" + what
                            + ").", extra)
                    : new ApiError(ErrorType.API, status >= 500 ? status : 502,
                            "The upstream failed (" + what + ").", extra);
        };
    }

    /** An error the upstream reported inside a stream that had already answered 200. */
    public ApiError fromStreamChunk(ChatChunk chunk) {
        JsonNode error = chunk.error();
        String message = chunk.message();
        int code = 0;
        if (error != null && error.isObject()) {
            message = text(error, "message", message);
            code = error.path("code").asInt(0);
        } else if (error != null && error.isTextual()) {
            message = error.asText();
        }
        message = clean(withoutKey(message == null ? "" : message));
        if (code >= 400 && code < 600) {
            return fromResponse(code, Map.of(), message, chunk.model());
        }
        return new ApiError(ErrorType.API, "The upstream failed mid-answer: "
                + (message.isEmpty() ? "no reason given" : message));
    }

    /** The upstream could not be reached at all (refused, reset, unknown host, TLS failure). */
    public ApiError unreachable(URI baseUrl, IOException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ApiError(ErrorType.API, 502, "could not reach the upstream at " + baseUrl.getHost()
                + (baseUrl.getPort() > 0 ? ":" + baseUrl.getPort() : "") + ": " + clean(withoutKey(reason)),
                Map.of());
    }

    /**
     * The numbers of a context-length refusal this mapper made (a 400 in one of the vLLM/NIM wordings), so a caller
     * can retry with a smaller {@code max_tokens}; empty for any other error.
     */
    public static java.util.Optional<ContextOverflow> contextOverflow(ApiError error) {
        if (error.type() != ErrorType.INVALID_REQUEST || error.getMessage() == null) {
            return java.util.Optional.empty();
        }
        String text = error.getMessage();
        Matcher total = VLLM_CONTEXT.matcher(text);
        if (total.find()) {
            Matcher breakdown = VLLM_BREAKDOWN.matcher(text.substring(total.end()));
            return java.util.Optional.of(new ContextOverflow(Integer.parseInt(total.group(2)),
                    Integer.parseInt(total.group(1)), breakdown.find()
                            ? java.util.OptionalInt.of(Integer.parseInt(breakdown.group(1)))
                            : java.util.OptionalInt.empty()));
        }
        Matcher input = VLLM_INPUT.matcher(text);
        if (input.find()) {
            int tokens = Integer.parseInt(input.group(1));
            return java.util.Optional.of(new ContextOverflow(tokens, Integer.parseInt(input.group(2)),
                    java.util.OptionalInt.of(tokens)));
        }
        return java.util.Optional.empty();
    }

    private ApiError invalidRequest(int status, String detail) {
        // Anthropic's wording for an over-long prompt: Claude Code recognises it and offers to compact.
        for (Pattern p : new Pattern[] {VLLM_CONTEXT, VLLM_INPUT}) {
            Matcher m = p.matcher(detail);
            if (m.find()) {
                boolean maxFirst = p == VLLM_CONTEXT;
                String max = m.group(maxFirst ? 1 : 2);
                String asked = m.group(maxFirst ? 2 : 1);
                return new ApiError(ErrorType.INVALID_REQUEST, status,
                        "prompt is too long: " + asked + " tokens > " + max + " maximum (upstream: " + detail + ")",
                        Map.of());
            }
        }
        return new ApiError(ErrorType.INVALID_REQUEST, status, detail, Map.of());
    }

    private String messageOf(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException notJson) {
            return body.replaceAll("<[^>]*>", " ");
        }
        if (json == null || !json.isObject()) {
            return json != null && json.isTextual() ? json.asText() : body;
        }
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
            return text(error, "message", text(error, "type", ""));
        }
        if (error != null && error.isTextual()) {
            return error.asText();
        }
        return text(json, "message", text(json, "detail", text(json, "title", "")));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : fallback;
    }

    private String withoutKey(String text) {
        return apiKey == null ? text : text.replace(apiKey, Secrets.mask(apiKey));
    }

    /** Collapses whitespace, drops NIM's trailing " None" and keeps messages short. */
    static String clean(String message) {
        String s = message.replaceAll("\\s+", " ").strip();
        while (s.endsWith(" None")) {
            s = s.substring(0, s.length() - " None".length()).strip();
        }
        return s.length() > MAX_MESSAGE_CHARS ? s.substring(0, MAX_MESSAGE_CHARS) + "..." : s;
    }
}
