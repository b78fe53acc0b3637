package dev.ncp.host.dashboard;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /dashboard/stream} and its assets, all from ncp's own classpath: the dashboard works offline and loads
 * nothing from anywhere else (its Content-Security-Policy says so to the browser).
 */
public final class DashboardAssets {

    private static final String BASE = "/dev/ncp/host/dashboard/";
    private static final String POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Asset page;
    private final Map<String, Asset> assets;

    public DashboardAssets() {
        this.page = load("stream.html", "text/html; charset=utf-8");
        this.assets = Map.of(
                "stream.css", load("stream.css", "text/css; charset=utf-8"),
                "stream.js", load("stream.js", "text/javascript; charset=utf-8"));
    }

    /** The dashboard page; opened with a dashboard {@code ?token=}, its asset links carry the token too. */
    public void page(Context ctx) {
        String token = ctx.queryParam("token");
        if (token == null || !token.matches("[A-Za-z0-9_-]{1,128}")) {
            write(ctx, page);
            return;
        }
        String html = new String(page.bytes(), StandardCharsets.UTF_8)
                .replace("/dashboard/assets/stream.css\"", "/dashboard/assets/stream.css?token=" + token + "\"")
                .replace("/dashboard/assets/stream.js\"", "/dashboard/assets/stream.js?token=" + token + "\"");
        write(ctx, new Asset(html.getBytes(StandardCharsets.UTF_8), page.contentType()));
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** {@code /dashboard/assets/<name>}: the page's stylesheet and script. */
    public void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            throw new io.javalin.http.NotFoundResponse("no dashboard asset " + ctx.pathParam("name"));
        }
        write(ctx, asset);
    }

    private static void write(Context ctx, Asset asset) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset missing from the classpath: " + BASE + name);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard asset " + name, e);
        }
    }
}
