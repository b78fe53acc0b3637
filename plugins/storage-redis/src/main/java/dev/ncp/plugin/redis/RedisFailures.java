package dev.ncp.plugin.redis;

import dev.ncp.api.storage.StorageException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Turns Jedis errors into {@link StorageException}s that name the server (never the password) and the fix. */
final class RedisFailures {

    private RedisFailures() {
    }

    /** A failure while opening: the server is unreachable, refuses the login or the database. */
    static StorageException atOpen(RedisEndpoint endpoint, JedisException e) {
        String reason = reason(endpoint, e);
        if (isAuthentication(e)) {
            return new StorageException("Redis at " + endpoint.address() + " rejected ncp's login (" + reason
                    + "). Check the password in REDIS_URL or REDIS_PASSWORD.", e);
        }
        if (isTlsRefusal(e)) {
            return new StorageException("The TLS handshake with Redis at " + endpoint.address() + " failed ("
                    + reason + "). The server's certificate must chain to a CA the JDK trusts or one in"
                    + " REDIS_TLS_CA_FILE, and name the host in REDIS_URL.", e);
        }
        if (e instanceof JedisConnectionException) {
            return new StorageException("Cannot reach Redis at " + endpoint.address() + " (" + reason + "). Check"
                    + " that Redis is running and reachable from this machine and that REDIS_URL is right"
                    + (endpoint.tls() ? " (rediss:// needs a server with TLS enabled)" : "")
                    + ", or choose another engine with STORAGE_ENGINE=sqlite.", e);
        }
        return new StorageException("Redis at " + endpoint.address() + " refused to start a session (" + reason
                + "). Check REDIS_URL, for example its database number.", e);
    }

    /** A failure of one operation on an open store. */
    static StorageException during(RedisEndpoint endpoint, JedisException e) {
        String reason = reason(endpoint, e);
        if (e instanceof JedisConnectionException) {
            return new StorageException("Lost the connection to Redis at " + endpoint.address() + " (" + reason
                    + ").", e);
        }
        return new StorageException("Redis at " + endpoint.address() + " failed a command (" + reason + ").", e);
    }

    private static boolean isTlsRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAuthentication(JedisException e) {
        String message = String.valueOf(e.getMessage());
        return e instanceof JedisAccessControlException
                || e instanceof JedisDataException && (message.contains("NOAUTH") || message.contains("WRONGPASS"))
                || e.getCause() instanceof JedisException cause && cause != e && isAuthentication(cause);
    }

    /**
     * Jedis's message plus the underlying cause (such as "Connection refused"), which Jedis keeps as the root cause
     * or, for connect failures, as a suppressed exception per address tried.
     */
    private static String reason(RedisEndpoint endpoint, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e && e.getSuppressed().length > 0) {
            root = e.getSuppressed()[0];
        }
        String message = trimPeriod(e.getMessage());
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += ": " + trimPeriod(root.getMessage());
        }
        return endpoint.redact(message);
    }

    private static String trimPeriod(String message) {
        String text = String.valueOf(message).strip();
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
