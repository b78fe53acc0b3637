package dev.ncp.host.claudecode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables that point Claude Code at an ncp proxy — what {@code ncp code} gives the Claude Code it
 * launches and what {@code ncp env} prints for a shell.
 *
 * <p>Without a chosen model the Claude model variables stay unset: Claude Code then asks for its own opus / sonnet /
 * haiku names and ncp's family mapping picks the NIM model for each. With one, every role Claude Code has (main
 * model of each family, sub-agents, the custom entry of its model picker) asks for that model.
 */
public final class ClaudeCodeEnvironment {

    /** The token sent when the proxy has no key: Claude Code insists on some credential, ncp ignores it. */
    public static final String PLACEHOLDER_TOKEN = "ncp";

    private ClaudeCodeEnvironment() {
    }

    /**
     * @param baseUrl         where the proxy listens, e.g. {@code http://127.0.0.1:8788}
     * @param proxyApiKey     {@code PROXY_API_KEY}, when the proxy requires one
     * @param model           the model every Claude Code role should use, if chosen
     * @param maxOutputTokens the output cap to tell Claude Code about, if chosen
     * @return variable name to value, in the order a shell should see them
     */
    public static Map<String, String> forProxy(String baseUrl, Optional<String> proxyApiKey, Optional<String> model,
                                               Optional<Integer> maxOutputTokens) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_AUTH_TOKEN", proxyApiKey.orElse(PLACEHOLDER_TOKEN));
        model.ifPresent(m -> {
            env.put("ANTHROPIC_DEFAULT_OPUS_MODEL", m);
            env.put("ANTHROPIC_DEFAULT_SONNET_MODEL", m);
            env.put("ANTHROPIC_DEFAULT_HAIKU_MODEL", m);
            env.put("CLAUDE_CODE_SUBAGENT_MODEL", m);
            env.put("ANTHROPIC_CUSTOM_MODEL_OPTION", m);
            env.put("ANTHROPIC_CUSTOM_MODEL_OPTION_NAME", m + " (NVIDIA NIM via ncp)");
        });
        maxOutputTokens.ifPresent(n -> env.put("CLAUDE_CODE_MAX_OUTPUT_TOKENS", String.valueOf(n)));
        return Collections.unmodifiableMap(env);
    }
}
