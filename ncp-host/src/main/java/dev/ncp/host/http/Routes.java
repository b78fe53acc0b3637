package dev.ncp.host.http;

import dev.ncp.host.limits.RequestRateLimiter;
import dev.ncp.host.sessions.SessionsHandler;
import dev.ncp.host.dashboard.DashboardAssets;
import dev.ncp.host.dashboard.VisualizationSocket;
import dev.ncp.host.observe.Observability;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

/**
 * Every endpoint ncp serves, on one screen. Handlers are thin and delegate to named services.
 * Before every request: a request id, its clock, the Host/Origin guard, the body size limit, then auth (the
 * websocket's upgrade request too); before the JSON endpoints, their content type; before {@code POST /v1/messages}, the client rate limits; after every request: its access log line and
 * metrics. Unknown paths and methods get Anthropic-shaped 404/405 errors.
 */
public final class Routes {

    private final RequestIds requestIds;
    private final AuthFilter auth;
    private final ErrorResponses errors;
    private final HealthHandler health;
    private final ModelsHandler models;
    private final Handler messages;
    private final Handler countTokens;
    private final RequestRateLimiter rateLimits;
    private final SessionsHandler sessions;
    private final RequestSizeLimit sizeLimit;
    private final Observability observe;
    private final DashboardAssets dashboard;
    private final VisualizationSocket visualization;
    private final BrowserGuard browsers;

    public Routes(RequestIds requestIds, AuthFilter auth, ErrorResponses errors, HealthHandler health,
                  ModelsHandler models, Handler messages, Handler countTokens, RequestRateLimiter rateLimits,
                  SessionsHandler sessions, RequestSizeLimit sizeLimit, Observability observe,
                  DashboardAssets dashboard, VisualizationSocket visualization, BrowserGuard browsers) {
        this.requestIds = requestIds;
        this.auth = auth;
        this.errors = errors;
        this.health = health;
        this.models = models;
        this.messages = messages;
        this.countTokens = countTokens;
        this.rateLimits = rateLimits;
        this.sessions = sessions;
        this.sizeLimit = sizeLimit;
        this.observe = observe;
        this.dashboard = dashboard;
        this.visualization = visualization;
        this.browsers = browsers;
    }

    public void register(RoutesConfig routes) {
        routes.before(requestIds::assign);
        routes.before(observe::arrived);
        routes.before(browsers::check); // Host and Origin: web pages stay out (answers CORS preflights itself)
        routes.before(sizeLimit::check);
        routes.before(auth::check);
        routes.before("/v1/messages", JsonContentType::check);
        routes.before("/v1/messages/count_tokens", JsonContentType::check);
        routes.wsBeforeUpgrade(requestIds::assign);
        routes.wsBeforeUpgrade(browsers::check);
        routes.wsBeforeUpgrade(auth::check);
        // Client rate limits; then, inside `messages`: idempotency, session tracking, the upstream gate.
        routes.before("/v1/messages", rateLimits::check);
        routes.after(observe::completed);

        routes.head("/api/hello", ctx -> ctx.status(200));
        routes.post("/v1/messages", messages);
        routes.post("/v1/messages/count_tokens", countTokens);
        routes.get("/health", health::handle);
        routes.get("/v1/models", models::list);
        routes.get("/v1/models/<id>", models::get); // <id>: NIM ids contain a slash
        routes.get("/v1/ncp/sessions", sessions::list);
        routes.get("/v1/ncp/sessions/{id}", sessions::get);
        routes.post("/v1/ncp/dashboard-token", auth::issueDashboardToken);
        routes.get("/metrics", observe::metricsText);
        routes.get("/v1/stream/visualization", observe::visualizationStatus);
        routes.get("/dashboard/stream", dashboard::page);
        routes.get("/dashboard/assets/{name}", dashboard::asset);
        routes.ws("/ws/stream-visualization", visualization::configure);

        routes.exception(ApiError.class, (e, ctx) -> errors.write(ctx, e));
        routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> errors.write(ctx,
                e.getStatus() == 404 ? noRoute(ctx) : e.getStatus() == 413 ? sizeLimit.tooLarge()
                        : new ApiError(ErrorResponses.typeForStatus(e.getStatus()), e.getStatus(), e.getMessage(),
                                java.util.Map.of())));
        routes.error(404, ctx -> {
            if (!ErrorResponses.written(ctx)) {
                errors.write(ctx, noRoute(ctx));
            }
        });
        routes.error(405, ctx -> errors.write(ctx, new ApiError(dev.ncp.api.error.ErrorType.INVALID_REQUEST, 405,
                "Method " + ctx.method() + " is not allowed on " + ctx.path() + ".", java.util.Map.of())));
    }

    private static ApiError noRoute(io.javalin.http.Context ctx) {
        return ApiError.notFound("No route for " + ctx.method() + " " + ctx.path() + ". ncp serves POST /v1/messages, "
                + "POST /v1/messages/count_tokens, GET /v1/models, GET /v1/models/{id}, GET /v1/ncp/sessions, GET /health, "
                + "POST /v1/ncp/dashboard-token, GET /metrics, GET /v1/stream/visualization, GET /dashboard/stream and the websocket "
                + "/ws/stream-visualization.");
    }
}
