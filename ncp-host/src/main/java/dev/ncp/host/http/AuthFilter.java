package dev.ncp.host.http;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.Principal;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.auth.AuthChain;
import dev.ncp.host.dashboard.DashboardTokens;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Before-handler that decides who a request is, or ends it with an Anthropic 401/403. Browsers cannot put a key in
 * a header of a page load or websocket upgrade, so the dashboard's paths (and only those) also accept a
 * {@code ?token=} from {@code POST /v1/ncp/dashboard-token}.
 */
public final class AuthFilter {

    private static final String ATTRIBUTE = "ncp.principal";
    private static final String UPSTREAM_KEY = "ncp.upstream-key";
    /** Claude Code's connectivity probe reveals nothing and must answer even before a key is set up. */
    private static final Set<String> OPEN_PATHS = Set.of("/api/hello");

    private final AuthChain chain;
    private final DashboardTokens dashboardTokens;

    public AuthFilter(AuthChain chain, DashboardTokens dashboardTokens) {
        this.chain = chain;
        this.dashboardTokens = dashboardTokens;
    }

    public void check(Context ctx) {
        if (OPEN_PATHS.contains(ctx.path())) {
            return;
        }
        String token = ctx.queryParam("token");
        if (token != null && takesDashboardToken(ctx.path())) {
            Principal p = dashboardTokens.redeem(token).orElseThrow(() -> new ApiError(ErrorType.AUTHENTICATION,
                    "The dashboard token is unknown or expired (tokens live "
                            + DashboardTokens.LIFETIME.toSeconds() + " s): get a new one with POST "
                            + "/v1/ncp/dashboard-token."));
            ctx.attribute(ATTRIBUTE, p);
            return;
        }
        var request = new JavalinAuthRequest(ctx);
        switch (chain.authenticate(request)) {
            case AuthDecision.Accept accept -> {
                ctx.attribute(ATTRIBUTE, accept.principal());
                chain.upstreamKey(request, accept.principal()).ifPresent(k -> ctx.attribute(UPSTREAM_KEY, k));
            }
            case AuthDecision.Reject reject -> throw new ApiError(reject.type(), reject.message());
            case AuthDecision.Abstain abstain -> throw new IllegalStateException("the chain never abstains");
        }
    }

    /** {@code POST /v1/ncp/dashboard-token}: a token for the authenticated principal's browser. */
    public void issueDashboardToken(Context ctx) {
        String token = dashboardTokens.issue(principal(ctx)).orElseThrow(() -> new ApiError(ErrorType.RATE_LIMIT,
                "Too many dashboard tokens were asked for in the last minute; try again shortly."));
        ctx.json(Map.of("token", token, "expires_in", DashboardTokens.LIFETIME.toSeconds(),
                "url", "/dashboard/stream?token=" + token));
    }

    private static boolean takesDashboardToken(String path) {
        // "/" redirects to the dashboard, the token along.
        return path.equals("/") || path.equals("/dashboard/stream") || path.startsWith("/dashboard/assets/")
                || path.equals("/ws/stream-visualization");
    }

    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        return p == null ? Principal.named("anonymous") : p;
    }

    /** The principal a websocket's upgrade request was let in as. */
    public static Principal principal(io.javalin.websocket.WsContext ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        return p == null ? Principal.named("anonymous") : p;
    }

    /**
     * Before-handler for what sums up every principal's traffic ({@code /metrics}, the bus counters): operators
     * only; anyone else gets a 403 permission_error.
     */
    public static void requireOperator(Context ctx) {
        if (!principal(ctx).operator()) {
            throw new ApiError(ErrorType.PERMISSION, ctx.method() + " " + ctx.path() + " shows every "
                    + "principal's traffic, so it needs an operator key: PROXY_API_KEY, or a key-file key added "
                    + "with ncp keys add --operator.");
        }
    }

    /** The client's own upstream key ({@code NCP_KEY_PASSTHROUGH}); empty means ncp's {@code NVIDIA_API_KEY}. */
    public static Optional<String> upstreamKey(Context ctx) {
        return Optional.ofNullable(ctx.attribute(UPSTREAM_KEY));
    }
}
