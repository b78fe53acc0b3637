package dev.ncp.host.http;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code NCP_CLIENT_BODY_TIMEOUT_SECONDS}: the time ncp spends waiting for a request body is bounded. The idle
 * timeout closes a connection that goes silent, but a slowloris client sends a byte every few hundred milliseconds
 * and is never silent; this bound is what ends it. Jetty 12 no longer enforces a minimum data rate itself, so this
 * servlet filter wraps the body's stream and adds up the time its reads spend blocked on the client; once that
 * passes the limit with the body still incomplete, the read fails with {@link TooSlow}, answered with 408 and a
 * closed connection. Only waiting counts, so a handler that reads a body late (after a queue) is never refused for
 * it. (A client that sends nothing at all is the idle timeout's.)
 */
public final class BodyDeadline implements Filter {

    private final Duration limit;

    public BodyDeadline(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && hasBody(http)) {
            chain.doFilter(new Deadlined(http, limit), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The 408 a too-slow body is answered with; {@code Connection: close} goes with it. */
    static ApiError error(Duration limit) {
        return new ApiError(ErrorType.INVALID_REQUEST, 408, "The request body did not arrive within "
                + limit.toSeconds() + " s (NCP_CLIENT_BODY_TIMEOUT_SECONDS); send the whole body at once.", Map.of());
    }

    /** Thrown by a body read past the deadline; an IOException, as servlet streams throw. */
    public static final class TooSlow extends IOException {
        private final transient Duration limit;

        TooSlow(Duration limit) {
            super("request body slower than NCP_CLIENT_BODY_TIMEOUT_SECONDS", null);
            this.limit = limit;
        }

        public ApiError error() {
            return BodyDeadline.error(limit);
        }
    }

    private static final class Deadlined extends HttpServletRequestWrapper {
        private final Duration limit;
        private ServletInputStream stream;

        Deadlined(HttpServletRequest request, Duration limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new DeadlinedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class DeadlinedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final Duration limit;
        private long waitedNanos; // one thread reads a body

        DeadlinedStream(ServletInputStream in, Duration limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            int b = in.read();
            return afterRead(start, b < 0 ? -1 : 1) < 0 ? -1 : b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            long start = System.nanoTime();
            return afterRead(start, in.read(buffer, off, len));
        }

        private int afterRead(long startNanos, int n) throws TooSlow {
            waitedNanos += System.nanoTime() - startNanos;
            if (n >= 0 && waitedNanos > limit.toNanos() && !in.isFinished()) {
                throw new TooSlow(limit);
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
