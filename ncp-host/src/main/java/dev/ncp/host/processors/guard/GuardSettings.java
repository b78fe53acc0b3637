package dev.ncp.host.processors.guard;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.config.Setting;
import java.util.Locale;

/**
 * Which of the guard's rules are on, taken from the configuration's raw values (validated here, at startup). All are
 * on by default, for every model: each repairs only what would otherwise fail.
 *
 * @param argsRepair {@code NCP_GUARD_ARGS_REPAIR}: repair tool-call arguments and type their scalars by the schema
 * @param toolNames  {@code NCP_GUARD_TOOL_NAMES}: a near-miss tool name becomes the declared tool
 * @param textCalls  {@code NCP_GUARD_TEXT_CALLS}: tool calls written as text become tool_use blocks
 * @param loopNote   {@code NCP_GUARD_LOOP_NOTE}: a note to the model when it repeats one call with one result
 */
public record GuardSettings(boolean argsRepair, boolean toolNames, boolean textCalls, boolean loopNote) {

    /** Every rule on: the documented defaults. */
    public static GuardSettings defaults() {
        return new GuardSettings(true, true, true, true);
    }

    public static GuardSettings from(Config config) {
        return new GuardSettings(on(config, Setting.NCP_GUARD_ARGS_REPAIR), on(config, Setting.NCP_GUARD_TOOL_NAMES),
                on(config, Setting.NCP_GUARD_TEXT_CALLS), on(config, Setting.NCP_GUARD_LOOP_NOTE));
    }

    private static boolean on(Config config, Setting setting) {
        String raw = config.values().get(setting.name());
        String value = raw == null || raw.isBlank() ? setting.defaultValue() : raw.strip();
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ConfigException.invalid(setting, raw, "expected true or false");
        };
    }
}
