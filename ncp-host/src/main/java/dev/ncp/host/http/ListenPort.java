package dev.ncp.host.http;

import dev.ncp.host.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** Whether ncp could listen on a port right now, asked the only reliable way: by binding it for a moment. */
public final class ListenPort {

    private ListenPort() {
    }

    /** True when {@code host:port} can be bound now (port 0, "any free port", always can). */
    public static boolean isFree(String host, int port) {
        return port == 0 || whyNot(host, port).isEmpty();
    }

    /**
     * Why {@code host:port} cannot be bound now ("Address already in use", "Cannot assign requested address", ...),
     * or empty when it can. Port 0 is tried as such: it fails only when the host is not this machine's.
     */
    public static Optional<String> whyNot(String host, int port) {
        try (var socket = new ServerSocket()) {
            // As Jetty does: a port whose last connections linger in TIME_WAIT is free, one with a listener is not.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /**
     * A configuration error, in one line, when ncp cannot listen on {@code host:port}: checked before anything
     * starts, so the user reads why instead of the web server's stack trace.
     */
    public static void requireBindable(String host, int port) {
        whyNot(host, port).ifPresent(reason -> {
            throw cannotListen(host, port, reason);
        });
    }

    public static ConfigException cannotListen(String host, int port, String reason) {
        return new ConfigException("cannot listen on " + host + ":" + port + " (" + reason + "): stop what holds it,"
                + " or choose another port with PROXY_PORT or --port (another address with PROXY_HOST or --host).");
    }
}
