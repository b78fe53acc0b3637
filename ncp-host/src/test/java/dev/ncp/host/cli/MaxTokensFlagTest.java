package dev.ncp.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ncp proxy --max-tokens N} is {@code NCP_HARD_MAX_TOKENS=N}, the cap GuardrailsThroughProxyTest sees
 * clamp what reaches the upstream; a flag wins over the environment.
 */
class MaxTokensFlagTest {

    @Test
    void theProxysMaxTokensFlagSetsTheHardCap() {
        var proxy = new ProxyCommand();
        new CommandLine(proxy).parseArgs("--max-tokens", "1000", "--storage", "memory");
        assertEquals(Optional.of(1000), proxy.options.load().hardMaxTokens());
    }
}
