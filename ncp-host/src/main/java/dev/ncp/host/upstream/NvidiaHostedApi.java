package dev.ncp.host.upstream;

import dev.ncp.host.config.Config;
import java.util.Locale;

/**
 * NVIDIA's hosted API ({@code integrate.api.nvidia.com}) answers nothing without a key, while a self-hosted NIM
 * usually needs none: commands that are about to talk to the upstream check the key only for the hosted one.
 */
public final class NvidiaHostedApi {

    /** How to get and set a key, for messages that end with the fix. */
    public static final String KEY_FIX =
            "get a key at https://build.nvidia.com and run: export NVIDIA_API_KEY=nvapi-...";

    private NvidiaHostedApi() {
    }

    /** Whether the configured upstream is NVIDIA's hosted API. */
    public static boolean isUpstream(Config config) {
        String host = config.nvidiaBaseUrl().getHost();
        return host != null && host.toLowerCase(Locale.ROOT).endsWith(".nvidia.com");
    }

    /** Whether requests would fail for want of a key: the hosted API and no {@code NVIDIA_API_KEY}. */
    public static boolean keyMissing(Config config) {
        return isUpstream(config) && config.nvidiaApiKey().isEmpty();
    }
}
