package dev.ncp.host.dashboard;

import dev.ncp.api.auth.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived tokens that let a browser open the dashboard and its websocket, which cannot carry an API key header.
 * An authenticated client asks for one ({@code POST /v1/ncp/dashboard-token}) and opens
 * {@code /dashboard/stream?token=…}; the token stands for that client's principal for {@link #LIFETIME} and only
 * on the dashboard's paths. Tokens live in memory: they are meant to be used at once, on this instance.
 */
public final class DashboardTokens {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Bounds memory however fast tokens are asked for; expired ones are dropped first. */
    private static final int MAX_LIVE = 10_000;

    private record Grant(Principal principal, Instant expires) {
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public DashboardTokens(Clock clock) {
        this.clock = clock;
    }

    /** A new token for {@code principal}, or empty when {@link #MAX_LIVE} tokens are live already. */
    public Optional<String> issue(Principal principal) {
        Instant now = clock.instant();
        grants.values().removeIf(g -> !now.isBefore(g.expires()));
        if (grants.size() >= MAX_LIVE) {
            return Optional.empty();
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        grants.put(token, new Grant(principal, now.plus(LIFETIME)));
        return Optional.of(token);
    }

    /** The principal a live token stands for. */
    public Optional<Principal> redeem(String token) {
        Grant g = token == null ? null : grants.get(token);
        if (g == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(g.expires())) {
            grants.remove(token);
            return Optional.empty();
        }
        return Optional.of(g.principal());
    }
}
