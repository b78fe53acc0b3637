package dev.ncp.host.idempotency;

import dev.ncp.host.testing.ProxyHarness;
import java.util.Map;

/** The idempotency scenarios on the built-in memory engine (sqlite and redis run them in ncp-dist). */
class IdempotencyMemoryTest extends IdempotencyScenarios {

    @Override
    protected ProxyHarness startProxy(Map<String, String> env) {
        return ProxyHarness.start(env);
    }
}
