package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Observability's settings: defaults, values, and one-line errors at startup for values it cannot use. */
class ObservabilitySettingsTest {

    @Test
    void defaultsAreOffPlainAndAThousandEvents() {
        assertEquals(new ObservabilitySettings(false, LogFormat.PLAIN, 1000),
                config(Map.of()).observability());
    }

    @Test
    void valuesAreReadFromTheEnvironment() {
        assertEquals(new ObservabilitySettings(true, LogFormat.JSON, 50), config(
                Map.of("R2_STREAM_VISUALIZATION", "true", "NCP_LOG_FORMAT", "JSON", "NCP_VISUALIZATION_BUFFER", "50"))
                .observability());
    }

    @Test
    void usageIsKeptThirtyDaysUnlessSaidOtherwise() {
        assertEquals(java.time.Duration.ofDays(30), config(Map.of()).observability().usageRetention());
        var set = config(Map.of("NCP_USAGE_RETENTION_DAYS", "7")).observability();
        assertEquals(java.time.Duration.ofDays(7), set.usageRetention());
        var zero = assertThrows(ConfigException.class, () -> config(Map.of("NCP_USAGE_RETENTION_DAYS", "0")));
        assertEquals("NCP_USAGE_RETENTION_DAYS=0 is not valid: expected a whole number from 1 to 3660.",
                zero.getMessage());
    }

    @Test
    void unusableValuesFailWithTheVariableAndWhatIsAllowed() {
        var format = assertThrows(ConfigException.class,
                () -> config(Map.of("NCP_LOG_FORMAT", "xml")));
        assertEquals("NCP_LOG_FORMAT=xml is not valid: expected plain or json.", format.getMessage());
        var buffer = assertThrows(ConfigException.class,
                () -> config(Map.of("NCP_VISUALIZATION_BUFFER", "0")));
        assertEquals("NCP_VISUALIZATION_BUFFER=0 is not valid: expected a whole number from 1 to 1000000.",
                buffer.getMessage());
    }

    private static Config config(Map<String, String> env) {
        return new ConfigLoader(env, Path.of("/nonexistent-home"), Optional.empty()).load(Optional.empty(), Map.of());
    }
}
