package dev.ncp.plugin.redis;

import dev.ncp.api.storage.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where Redis is and how to log in, parsed from {@code REDIS_URL}
 * ({@code redis://[[user]:password@]host[:port][,host[:port]...][/db]}, {@code rediss://} for TLS). One node for a
 * standalone server; the Sentinels or a few cluster nodes (any of them, ncp discovers the rest) for
 * {@code REDIS_MODE=sentinel} or {@code cluster}. {@code REDIS_PASSWORD}, when set, replaces the URL's password, so
 * the secret can stay out of the URL.
 *
 * <p>The password never appears in {@link #toString()} or in any error message: both are logged and shown to users.
 */
record RedisEndpoint(List<Node> nodes, String user, String password, int database, boolean tls) {

    static final int DEFAULT_PORT = 6379;
    static final String EXPECTED_FORM = "redis://[:password@]host:port[/db], or rediss://... for TLS,"
            + " e.g. redis://localhost:6379/0";

    /** One server: a host name or IP literal (without brackets) and a port. */
    record Node(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    RedisEndpoint {
        nodes = List.copyOf(nodes);
    }

    /** Fails with a {@link StorageException} that explains the expected form and never echoes the URL. */
    static RedisEndpoint parse(String url, Optional<String> passwordOverride) {
        String text = url.trim();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw invalid("it is not a URL");
        }
        boolean tls = switch (text.substring(0, schemeEnd).toLowerCase(Locale.ROOT)) {
            case "redis" -> false;
            case "rediss" -> true;
            default -> throw invalid("it must start with redis:// or rediss://");
        };
        // A node list ("h1:1,[::1]:2") is no authority java.net.URI accepts, so the URL is split here.
        String rest = text.substring(schemeEnd + 3);
        int slash = rest.indexOf('/', Math.max(0, rest.lastIndexOf('@')));
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = decode(authority.substring(0, at));
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw invalid("write the password with a colon before it: redis://:password@host or"
                        + " redis://user:password@host");
            }
            user = colon == 0 ? null : userInfo.substring(0, colon);
            password = userInfo.substring(colon + 1);
        }
        List<Node> nodes = new ArrayList<>();
        for (String node : authority.substring(at + 1).split(",", -1)) {
            nodes.add(node(node));
        }
        return new RedisEndpoint(nodes, user, passwordOverride.orElse(password), database(path), tls);
    }

    private static Node node(String text) {
        URI single;
        try {
            single = new URI("redis://" + text);
        } catch (URISyntaxException e) {
            throw invalid("it has no valid host and port");
        }
        if (single.getHost() == null || single.getRawPath() != null && !single.getRawPath().isEmpty()) {
            throw invalid("it has no valid host and port");
        }
        String host = single.getHost().replaceAll("^\\[|]$", ""); // an IPv6 literal comes bracketed
        return new Node(host, single.getPort() == -1 ? DEFAULT_PORT : single.getPort());
    }

    private static String decode(String raw) {
        try {
            return Optional.ofNullable(new URI("redis://" + raw + "@h").getUserInfo()).orElse(raw);
        } catch (URISyntaxException e) {
            return raw; // not percent-encoded: taken as written
        }
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

    static StorageException invalid(String why) {
        return new StorageException("REDIS_URL is not a usable Redis URL: " + why + ". Expected " + EXPECTED_FORM
                + ".");
    }

    /** The first (for a standalone server, the only) node. */
    String host() {
        return nodes.getFirst().host();
    }

    int port() {
        return nodes.getFirst().port();
    }

    /** {@code host:port[,host:port...]}, for messages. */
    String address() {
        return nodes.stream().map(Node::toString).collect(Collectors.joining(","));
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
