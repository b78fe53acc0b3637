package dev.ncp.host.anthropic;

import dev.ncp.host.error.ApiError;
import java.util.regex.Pattern;

/**
 * What a requested model name may look like. Names reach the registry, logs, metrics labels and the upstream's URL
 * space; none of them needs more than NIM ids ({@code qwen/qwen3-coder-480b-a35b-instruct}), Claude names
 * ({@code claude-opus-4-5-20251101}) and Vertex-style versions ({@code claude-3-5-haiku@20241022}) use. A name like
 * {@code ../../etc/passwd} is refused rather than quietly sent to the default model.
 */
public final class ModelNames {

    public static final int MAX_LENGTH = 256;
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@+-]+");

    private ModelNames() {
    }

    /** Throws a 400 {@code invalid_request_error} unless {@code model} is a plausible model name. */
    public static void check(String model) {
        if (model.isEmpty() || model.length() > MAX_LENGTH || !SAFE.matcher(model).matches() || hasDotSegment(model)) {
            // The name itself is not echoed: it may hold anything (control characters, markup).
            throw ApiError.invalidRequest("model: not a valid model name. Use letters, digits and . _ : / @ + - "
                    + "(at most " + MAX_LENGTH + " characters, no '.' or '..' path segments), e.g. claude-opus-4-5 "
                    + "or qwen/qwen3-coder-480b-a35b-instruct.");
        }
    }

    private static boolean hasDotSegment(String model) {
        for (String segment : model.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty() && model.contains("/")) {
                return true;
            }
        }
        return false;
    }
}
