package dev.ncp.host.sessions;

import dev.ncp.host.testing.ProxyHarness;
import java.util.Map;

/** The session scenarios on the built-in memory engine (sqlite and redis run them in ncp-dist). */
class SessionMemoryTest extends SessionScenarios {

    @Override
    protected ProxyHarness startProxy(Map<String, String> env) {
        return ProxyHarness.start(env);
    }
}
