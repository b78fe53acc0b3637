package dev.ncp.host.messages;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.config.Config;
import dev.ncp.host.error.ApiError;
import java.util.Optional;

/**
 * NVIDIA's hosted catalog needs {@code NVIDIA_API_KEY}; without it every call would come back 401. Saying so before
 * calling is clearer. A self-hosted NIM may run without a key, so the check applies to the hosted API only.
 */
public final class UpstreamKey {

    private static final String HOSTED = "integrate.api.nvidia.com";

    private UpstreamKey() {
    }

    /** The error to answer with instead of calling upstream, when the key is missing. */
    public static Optional<ApiError> check(Config config) {
        if (config.nvidiaApiKey().isPresent() || !HOSTED.equals(config.nvidiaBaseUrl().getHost())) {
            return Optional.empty();
        }
        return Optional.of(new ApiError(ErrorType.AUTHENTICATION, "ncp has no NVIDIA_API_KEY, so NVIDIA's API would "
                + "refuse this request: export NVIDIA_API_KEY=nvapi-... (from build.nvidia.com) and restart ncp."));
    }
}
