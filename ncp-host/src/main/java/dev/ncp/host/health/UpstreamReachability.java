package dev.ncp.host.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the upstream accepts connections: one TCP connect to the host and port of its base URL, closed at once.
 * No HTTP request is sent, so a readiness probe spends none of the upstream's request budget (NIM's free tier counts
 * requests per minute) and sends no key.
 */
public final class UpstreamReachability {

    private final String host;
    private final int port;
    private final Duration timeout;

    public UpstreamReachability(URI baseUrl, Duration timeout) {
        this.host = baseUrl.getHost();
        this.port = baseUrl.getPort() != -1 ? baseUrl.getPort() : "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
        this.timeout = timeout;
    }

    /** Empty when the upstream accepted a connection, else why not (in words that name no host). */
    public Optional<String> problem() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Optional.empty();
        } catch (java.net.SocketTimeoutException e) {
            return Optional.of("the upstream did not accept a connection within " + timeout.toMillis() + " ms");
        } catch (java.net.UnknownHostException e) {
            return Optional.of("the upstream's host name does not resolve");
        } catch (IOException e) {
            return Optional.of("the upstream refuses connections");
        }
    }
}
