package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureSettingsTest {

    @TempDir
    Path home;

    private FeatureSettings load(Map<String, String> env) {
        return new ConfigLoader(env, home, Optional.empty()).load(Optional.empty(), Map.of()).features();
    }

    @Test
    void nvidiasHostedCatalogGetsAFortyRequestsPerMinuteUpstreamLimitByDefault() {
        FeatureSettings f = load(Map.of());
        assertEquals(40, f.upstreamRpm());
        assertEquals(Duration.ofHours(24), f.idempotencyTtl());
        assertEquals(Duration.ofSeconds(30), f.upstreamMaxWait());
        assertEquals(0, f.maxConcurrentStreams());
        assertEquals(Optional.empty(), f.storageFallback());
    }

    @Test
    void aSelfHostedUpstreamHasNoUpstreamLimitUnlessOneIsSet() {
        assertEquals(0, load(Map.of("NVIDIA_BASE_URL", "http://10.0.0.5:8000/v1")).upstreamRpm());
        assertEquals(100, load(Map.of("NVIDIA_BASE_URL", "http://10.0.0.5:8000/v1", "NCP_UPSTREAM_RPM", "100"))
                .upstreamRpm());
        assertEquals(0, load(Map.of("NCP_UPSTREAM_RPM", "0")).upstreamRpm(), "0 turns the hosted limit off");
    }

    @Test
    void everyFeatureSettingIsRead() {
        FeatureSettings f = load(Map.of("NCP_IDEMPOTENCY_TTL_HOURS", "2", "NCP_UPSTREAM_MAX_WAIT_SECONDS", "0",
                "NCP_MAX_CONCURRENT_STREAMS", "8", "NCP_STORAGE_FALLBACK", "memory",
                "NCP_IDEMPOTENCY_MAX_WAIT_MS", "1500"));
        assertEquals(new FeatureSettings(Duration.ofHours(2), 40, Duration.ZERO, 8, Optional.of("memory"),
                Optional.of(Duration.ofMillis(1500))), f);
    }

    @Test
    void onlyMemoryIsAFallback() {
        var e = assertThrows(ConfigException.class, () -> load(Map.of("NCP_STORAGE_FALLBACK", "sqlite")));
        assertEquals("NCP_STORAGE_FALLBACK=sqlite is not valid: the only fallback is memory.", e.getMessage());
    }
}
