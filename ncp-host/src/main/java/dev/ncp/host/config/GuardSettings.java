package dev.ncp.host.config;

import java.util.Locale;

/**
 * Which of the open-model guard's rules are on, validated when the configuration loads. All are on by default, for
 * every model: each repairs only what would otherwise fail.
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

    static GuardSettings from(SettingValues v) {
        return new GuardSettings(on(v, Setting.NCP_GUARD_ARGS_REPAIR), on(v, Setting.NCP_GUARD_TOOL_NAMES),
                on(v, Setting.NCP_GUARD_TEXT_CALLS), on(v, Setting.NCP_GUARD_LOOP_NOTE));
    }

    /** A switch whose blank value means its documented default (on). */
    private static boolean on(SettingValues v, Setting setting) {
        String value = v.text(setting).orElse(setting.defaultValue());
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ConfigException.invalid(setting, value, "expected true or false");
        };
    }
}
