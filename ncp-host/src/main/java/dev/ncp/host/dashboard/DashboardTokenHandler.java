package dev.ncp.host.dashboard;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.exchange.Exchange;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code POST /v1/ncp/dashboard-token}: a short-lived token for the authenticated principal's browser, which cannot
 * put a key in the header of a page load or a websocket upgrade.
 */
public final class DashboardTokenHandler {

    private final DashboardTokens tokens;

    public DashboardTokenHandler(DashboardTokens tokens) {
        this.tokens = tokens;
    }

    public void issue(Context ctx) {
        String token = tokens.issue(Exchange.of(ctx).principal()).orElseThrow(() -> new ApiError(
                ErrorType.RATE_LIMIT, "Too many dashboard tokens were asked for in the last minute; try again "
                + "shortly."));
        ctx.json(Map.of("token", token, "expires_in", DashboardTokens.LIFETIME.toSeconds(),
                "url", "/dashboard/stream?token=" + token));
    }
}
