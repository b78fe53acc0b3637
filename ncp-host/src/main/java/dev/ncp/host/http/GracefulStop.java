package dev.ncp.host.http;

import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * A stop that lets answers in flight finish: on {@code Server.stop()} (SIGTERM, {@code ncp stop}, Ctrl-C) the
 * connectors stop accepting, new requests on open connections get 503, and the stop waits for the requests already
 * running — a Claude Code answer mid-stream — up to the timeout before the rest is cut off. Javalin attaches its
 * servlet context inside the handler set here.
 */
public final class GracefulStop {

    private GracefulStop() {
    }

    public static void install(Server server, Duration timeout) {
        server.setHandler(new GracefulHandler());
        server.setStopTimeout(timeout.toMillis());
    }
}
