package dev.ncp.host.http;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages out. A page in the user's browser can reach a proxy on localhost; two checks stop it:
 * <ul>
 *   <li><b>Host</b> — while bound to loopback, the Host header must name loopback ({@code 127.0.0.1},
 *   {@code localhost}, {@code [::1]}, any port). A DNS-rebinding page reaches 127.0.0.1 under its own name, and
 *   its requests carry that name: 403.</li>
 *   <li><b>Origin</b> — browsers send it on cross-origin requests (and on websocket upgrades). One that is neither
 *   the proxy's own origin nor listed in {@code NCP_CORS_ORIGINS} gets 403 {@code permission_error}, whatever the
 *   method; listed ones get CORS headers (preflights are answered here, before auth). Without
 *   {@code NCP_CORS_ORIGINS} no CORS header is ever sent.</li>
 * </ul>
 * Clients that are not browsers (SDKs, Claude Code, curl) send no Origin and a loopback Host, and pass untouched.
 */
public final class BrowserGuard {

    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final boolean loopbackOnly;
    private final List<String> corsOrigins;

    public BrowserGuard(boolean loopbackOnly, List<String> corsOrigins) {
        this.loopbackOnly = loopbackOnly;
        this.corsOrigins = List.copyOf(corsOrigins);
    }

    /** Before handler (and before a websocket upgrade). */
    public void check(Context ctx) {
        String host = ctx.header("Host");
        if (loopbackOnly && !loopbackHost(host)) {
            throw new ApiError(ErrorType.PERMISSION, "This ncp proxy listens on loopback and answers only requests "
                    + "addressed to 127.0.0.1, localhost or [::1] (Host header), which protects it from DNS rebinding.");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        boolean listed = corsOrigins.contains(stripSlash(origin));
        if (!listed && !sameOrigin(origin, host)) {
            throw new ApiError(ErrorType.PERMISSION, "Cross-origin requests are refused: the page's origin is not "
                    + "allowed to use this ncp proxy (an operator can allow it with NCP_CORS_ORIGINS).");
        }
        if (listed) {
            ctx.header("Access-Control-Allow-Origin", stripSlash(origin));
            ctx.header("Vary", "Origin");
            if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
                ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                ctx.header("Access-Control-Allow-Headers", "content-type, x-api-key, api-key, x-claude-api-key, authorization, "
                        + "anthropic-version, anthropic-beta, anthropic-idempotency-key");
                ctx.header("Access-Control-Max-Age", "600");
                ctx.status(204);
                ctx.skipRemainingHandlers();
            }
        }
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        int portAt = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        if (portAt > 0) {
            String port = h.substring(portAt + 1);
            if (!port.matches("\\d{1,5}")) {
                return false;
            }
            h = h.substring(0, portAt);
        }
        return LOOPBACK_NAMES.contains(h);
    }

    /** Whether {@code origin} is {@code http(s)://} plus exactly the authority the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        String o = stripSlash(origin).toLowerCase(Locale.ROOT);
        String h = host.strip().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }

    private static String stripSlash(String origin) {
        String o = origin.strip();
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
