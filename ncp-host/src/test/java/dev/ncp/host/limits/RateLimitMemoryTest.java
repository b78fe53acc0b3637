package dev.ncp.host.limits;

import dev.ncp.host.testing.ProxyHarness;
import java.util.Map;

/** The rate-limit scenarios on the built-in memory engine (sqlite and redis run them in ncp-dist). */
class RateLimitMemoryTest extends RateLimitScenarios {

    @Override
    protected ProxyHarness startProxy(Map<String, String> env) {
        return ProxyHarness.start(env);
    }
}
