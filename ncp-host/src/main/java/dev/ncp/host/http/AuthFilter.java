package dev.ncp.host.http;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.Principal;
import dev.ncp.api.error.ErrorType;
import dev.ncp.host.auth.AuthChain;
import dev.ncp.host.dashboard.DashboardTokens;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * Before-handler that decides who a request is, or ends it with an Anthropic 401/403. Browsers cannot put a key in
 * a header of a page load or websocket upgrade, so the dashboard's paths (and only those) also accept a
 * {@code ?token=} from {@code POST /v1/ncp/dashboard-token}.
 */
public final class AuthFilter {

    /**
     * Probes that reveal nothing and must answer without a key: Claude Code's connectivity probe (even before a key
     * is set up), and the liveness and readiness probes of supervisors and Kubernetes, which send no credentials.
     */
    public static final Set<String> OPEN_PATHS = Set.of("/api/hello", "/healthz", "/readyz");

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
            Exchange.of(ctx).authenticated(p, Optional.empty());
            return;
        }
        var request = new JavalinAuthRequest(ctx);
        switch (chain.authenticate(request)) {
            case AuthDecision.Accept accept -> {
                Exchange.of(ctx).authenticated(accept.principal(), chain.upstreamKey(request, accept.principal()));
            }
            case AuthDecision.Reject reject -> throw new ApiError(reject.type(), reject.message());
            case AuthDecision.Abstain abstain -> throw new IllegalStateException("the chain never abstains");
        }
    }

    private static boolean takesDashboardToken(String path) {
        // "/" redirects to the dashboard, the token along.
        return path.equals("/") || path.equals("/dashboard/stream") || path.startsWith("/dashboard/assets/")
                || path.equals("/ws/stream-visualization");
    }

    /**
     * Before-handler for what sums up every principal's traffic ({@code /metrics}, the bus counters): operators
     * only; anyone else gets a 403 permission_error.
     */
    public static void requireOperator(Context ctx) {
        if (!Exchange.of(ctx).principal().operator()) {
            throw new ApiError(ErrorType.PERMISSION, ctx.method() + " " + ctx.path() + " shows every "
                    + "principal's traffic, so it needs an operator key: PROXY_API_KEY, or a key-file key added "
                    + "with ncp keys add --operator.");
        }
    }
}
