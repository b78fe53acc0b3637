package dev.ncp.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard's switches: every rule on by default, each off by its own setting, a bad value refused at startup. */
class GuardSettingsTest {

    @TempDir
    Path home;

    @Test
    void everyRuleIsOnByDefault() {
        assertEquals(GuardSettings.defaults(), config(Map.of()).guard());
        assertEquals(new GuardSettings(true, true, true, true), GuardSettings.defaults());
    }

    @Test
    void eachRuleIsSwitchedOffByItsOwnSetting() {
        assertEquals(new GuardSettings(false, true, true, true),
                config(Map.of("NCP_GUARD_ARGS_REPAIR", "false")).guard());
        assertEquals(new GuardSettings(true, false, true, true),
                config(Map.of("NCP_GUARD_TOOL_NAMES", "off")).guard());
        assertEquals(new GuardSettings(true, true, false, true),
                config(Map.of("NCP_GUARD_TEXT_CALLS", "0")).guard());
        assertEquals(new GuardSettings(true, true, true, false),
                config(Map.of("NCP_GUARD_LOOP_NOTE", "No")).guard());
    }

    @Test
    void aValueThatIsNotABooleanIsRefusedNamingTheSetting() {
        var e = assertThrows(ConfigException.class,
                () -> config(Map.of("NCP_GUARD_TEXT_CALLS", "sometimes")).guard());
        assertTrue(e.getMessage().contains("NCP_GUARD_TEXT_CALLS") && e.getMessage().contains("sometimes"),
                e.getMessage());
    }

    private Config config(Map<String, String> env) {
        var all = new java.util.HashMap<>(env);
        all.put("STORAGE_ENGINE", "memory");
        return new ConfigLoader(all, home, Optional.empty()).load(Optional.empty(), Map.of());
    }
}
