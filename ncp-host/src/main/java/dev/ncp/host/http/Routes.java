package dev.ncp.host.http;

import dev.ncp.host.dashboard.DashboardAssets;
import dev.ncp.host.dashboard.DashboardTokenHandler;
import dev.ncp.host.dashboard.VisualizationSocket;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.error.ErrorResponses;
import dev.ncp.host.exchange.Exchange;
import dev.ncp.host.health.HealthHandler;
import dev.ncp.host.health.ProbeHandler;
import dev.ncp.host.limits.RequestRateLimiter;
import dev.ncp.host.model.ModelsHandler;
import dev.ncp.host.observe.Observability;
import dev.ncp.host.sessions.SessionsHandler;
import dev.ncp.host.usage.UsageHandler;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Every endpoint ncp serves, on one screen. Handlers are thin and delegate to named services.
 * Before every request: a request id, its clock, the Host/Origin guard, the body size limit, then auth (the
 * websocket's upgrade request too); before the JSON endpoints, their content type; before {@code /metrics} and the
 * bus counters, that the principal is an operator; before {@code POST /v1/messages},
 * the client rate limits; after every request: its access log line and metrics. Unknown paths and methods get
 * Anthropic-shaped 404/405 errors.
 */
public final class Routes {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Routes.class);

    /** What runs around every request, named in the order it runs. */
    public record Filters(RequestIds requestIds, BrowserGuard browsers, RequestSizeLimit sizeLimit, AuthFilter auth,
                          RequestRateLimiter rateLimits, CompletedRequests completed) {
    }

    /** The services behind the endpoints. */
    public record Handlers(Handler messages, Handler countTokens, HealthHandler health, ProbeHandler probes,
                           ModelsHandler models,
                           SessionsHandler sessions, DashboardAssets dashboard, DashboardTokenHandler dashboardTokens,
                           VisualizationSocket visualization, Observability observe, UsageHandler usage) {
    }

    private final Filters filters;
    private final Handlers handlers;
    private final ErrorResponses errors;

    public Routes(Filters filters, Handlers handlers, ErrorResponses errors) {
        this.filters = filters;
        this.handlers = handlers;
        this.errors = errors;
    }

    public void register(RoutesConfig routes) {
        registerFilters(routes);
        registerEndpoints(routes);
        registerErrors(routes);
    }

    private void registerFilters(RoutesConfig routes) {
        RequestIds requestIds = filters.requestIds();
        BrowserGuard browsers = filters.browsers();
        AuthFilter auth = filters.auth();
        routes.before(requestIds::assign);
        routes.before(browsers::check); // Host and Origin: web pages stay out (answers CORS preflights itself)
        routes.before(filters.sizeLimit()::check);
        routes.before(auth::check);
        routes.before("/v1/messages", JsonContentType::check);
        routes.before("/v1/messages/count_tokens", JsonContentType::check);
        // What sums up every principal's traffic is the operators'; the rest shows each principal its own.
        routes.before("/metrics", AuthFilter::requireOperator);
        routes.before("/v1/stream/visualization", AuthFilter::requireOperator);
        routes.wsBeforeUpgrade(requestIds::assign);
        routes.wsBeforeUpgrade(browsers::check);
        routes.wsBeforeUpgrade(auth::check);
        // Client rate limits; then, inside `messages`: idempotency, session tracking, the upstream gate.
        routes.before("/v1/messages", filters.rateLimits()::check);
        routes.after(filters.completed()::completed);
    }

    /** One HTTP endpoint: its method and path pattern as registered, and its handler. */
    public record Endpoint(HandlerType method, String path, Handler handler) {
    }

    /** Every HTTP endpoint, in the order registered (the websocket, {@link #WEBSOCKET}, besides). */
    public List<Endpoint> endpoints() {
        Handlers h = handlers;
        Observability observe = h.observe();
        Handler hello = ctx -> ctx.status(200); // Claude Code's connectivity probe
        // A browser pointed at ncp's address lands on the dashboard (a ?token= travels along).
        Handler home = ctx -> ctx.redirect("/dashboard/stream"
                + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), io.javalin.http.HttpStatus.FOUND);
        return List.of(
                new Endpoint(HandlerType.GET, "/", home),
                new Endpoint(HandlerType.HEAD, "/api/hello", hello),
                new Endpoint(HandlerType.GET, "/api/hello", hello),
                new Endpoint(HandlerType.POST, "/v1/messages", h.messages()),
                new Endpoint(HandlerType.POST, "/v1/messages/count_tokens", h.countTokens()),
                new Endpoint(HandlerType.GET, "/health", h.health()::handle),
                new Endpoint(HandlerType.GET, "/healthz", h.probes()::live), // supervisors' probes: no key needed
                new Endpoint(HandlerType.GET, "/readyz", h.probes()::ready),
                new Endpoint(HandlerType.GET, "/v1/models", h.models()::list),
                new Endpoint(HandlerType.GET, "/v1/models/<id>", h.models()::get), // <id>: NIM ids contain a slash
                new Endpoint(HandlerType.GET, "/v1/ncp/sessions", h.sessions()::list),
                new Endpoint(HandlerType.GET, "/v1/ncp/sessions/{id}", h.sessions()::get),
                new Endpoint(HandlerType.GET, "/v1/ncp/usage", h.usage()::handle),
                new Endpoint(HandlerType.POST, "/v1/ncp/dashboard-token", h.dashboardTokens()::issue),
                new Endpoint(HandlerType.GET, "/metrics", observe::metricsText),
                new Endpoint(HandlerType.GET, "/v1/stream/visualization", observe::visualizationStatus),
                new Endpoint(HandlerType.GET, "/dashboard/stream", h.dashboard()::page),
                new Endpoint(HandlerType.GET, "/dashboard/assets/{name}", h.dashboard()::asset));
    }

    /** The websocket endpoint's path. */
    public static final String WEBSOCKET = "/ws/stream-visualization";

    private void registerEndpoints(RoutesConfig routes) {
        for (Endpoint e : endpoints()) {
            routes.addHttpHandler(e.method(), e.path(), e.handler());
        }
        routes.ws(WEBSOCKET, handlers.visualization()::configure);
    }

    private void registerErrors(RoutesConfig routes) {
        RequestSizeLimit sizeLimit = filters.sizeLimit();
        routes.exception(ApiError.class, (e, ctx) -> answer(ctx, e));
        routes.exception(RequestSizeLimit.BodyTooLarge.class, (e, ctx) -> sizeLimit.refuse(ctx, errors));
        routes.exception(BodyDeadline.TooSlow.class, (e, ctx) -> {
            ctx.header("Connection", "close"); // the rest of a slowloris body is not waited for
            answer(ctx, e.error());
        });
        routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 413) {
                sizeLimit.refuse(ctx, errors);
            } else {
                answer(ctx, e.getStatus() == 404 ? noRoute(ctx) : new ApiError(
                        ErrorResponses.typeForStatus(e.getStatus()), e.getStatus(), e.getMessage(), java.util.Map.of()));
            }
        });
        // A bug must still answer in Anthropic's shape (clients parse it, and retry an api_error), never Javalin's
        // plain "Server Error"; the details go to the log beside the request id, not to the client.
        routes.exception(Exception.class, (e, ctx) -> answer(ctx, unexpected(ctx, e)));
        routes.error(500, ctx -> {
            // An Error (not an Exception) ended the request: Javalin's fatal path.
            if (Exchange.of(ctx).error().isEmpty()) {
                answer(ctx, unexpected(ctx, null));
            }
        });
        routes.error(404, ctx -> {
            if (Exchange.of(ctx).error().isEmpty()) {
                answer(ctx, noRoute(ctx));
            }
        });
        routes.error(405, ctx -> answer(ctx, new ApiError(dev.ncp.api.error.ErrorType.INVALID_REQUEST, 405,
                "Method " + ctx.method() + " is not allowed on " + ctx.path() + ".", java.util.Map.of())));
    }

    /** The request is answered with {@code error}: recorded on its exchange, written in Anthropic's shape. */
    private void answer(Context ctx, ApiError error) {
        Exchange.of(ctx).answeredWith(error);
        errors.write(ctx, error);
    }

    private static ApiError unexpected(io.javalin.http.Context ctx, Exception e) {
        if (e != null) {
            LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
        }
        return new ApiError(dev.ncp.api.error.ErrorType.API, 500, "ncp failed unexpectedly while answering "
                + ctx.method() + " " + ctx.path() + ". Retry; if it repeats, report it with this request's request-id "
                + "(ncp's log holds the details).", java.util.Map.of());
    }

    private static ApiError noRoute(io.javalin.http.Context ctx) {
        return ApiError.notFound("No route for " + ctx.method() + " " + ctx.path() + ". ncp serves POST /v1/messages, "
                + "POST /v1/messages/count_tokens, GET /v1/models, GET /v1/models/{id}, GET /v1/ncp/sessions, "
                + "GET /v1/ncp/usage, GET /health, GET /healthz, GET /readyz, POST /v1/ncp/dashboard-token, "
                + "GET /metrics, GET /v1/stream/visualization, "
                + "GET /dashboard/stream and the websocket /ws/stream-visualization.");
    }
}
