package dev.ncp.plugin.redis;

import dev.ncp.api.storage.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the Redis server is and how to log in, parsed from {@code REDIS_URL}
 * ({@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS). {@code REDIS_PASSWORD}, when set,
 * replaces the URL's password, so the secret can stay out of the URL.
 *
 * <p>The password never appears in {@link #toString()} or in any error message: both are logged and shown to users.
 */
record RedisEndpoint(String host, int port, String user, String password, int database, boolean tls) {

    static final int DEFAULT_PORT = 6379;
    static final String EXPECTED_FORM = "redis://[:password@]host:port[/db], or rediss://... for TLS,"
            + " e.g. redis://localhost:6379/0";

    /** Fails with a {@link StorageException} that explains the expected form and never echoes the URL. */
    static RedisEndpoint parse(String url, Optional<String> passwordOverride) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("it is not a URL");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "redis" -> false;
            case "rediss" -> true;
            default -> throw invalid("it must start with redis:// or rediss://");
        };
        if (uri.getHost() == null) {
            throw invalid("it has no valid host and port");
        }
        String host = uri.getHost().replaceAll("^\\[|]$", ""); // an IPv6 literal comes bracketed
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            int colon = uri.getUserInfo().indexOf(':');
            if (colon < 0) {
                throw invalid("write the password with a colon before it: redis://:password@host or"
                        + " redis://user:password@host");
            }
            user = colon == 0 ? null : uri.getUserInfo().substring(0, colon);
            password = uri.getUserInfo().substring(colon + 1);
        }
        return new RedisEndpoint(host, port, user, passwordOverride.orElse(password), database(uri.getPath()), tls);
    }

    private static int database(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            int database = Integer.parseInt(path.substring(1));
            if (database >= 0) {
                return database;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("the path after the port must be a database number such as /0");
    }

    private static StorageException invalid(String why) {
        return new StorageException("REDIS_URL is not a usable Redis URL: " + why + ". Expected " + EXPECTED_FORM
                + ".");
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Replaces the password wherever it appears in {@code text}, for messages built from library errors. */
    String redact(String text) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "****");
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + address() + "/" + database;
    }
}
