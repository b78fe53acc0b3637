package dev.ncp.host.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether ncp could listen on a port right now, asked the only reliable way: by binding it for a moment. */
public final class ListenPort {

    private ListenPort() {
    }

    /** True when {@code host:port} can be bound now (port 0, "any free port", always can). */
    public static boolean isFree(String host, int port) {
        if (port == 0) {
            return true;
        }
        try (var socket = new ServerSocket()) {
            // As Jetty does: a port whose last connections linger in TIME_WAIT is free, one with a listener is not.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
