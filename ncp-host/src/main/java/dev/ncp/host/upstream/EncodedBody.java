package dev.ncp.host.upstream;

import dev.ncp.api.error.ErrorType;
import dev.ncp.host.error.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a {@code Content-Encoding} the upstream applied although ncp never asks for one (it sends no
 * {@code Accept-Encoding}: Jetty's own decoders are removed, as with them Jetty asks every upstream for gzip and
 * holds back SSE events while it decodes). Some gateways
 * compress anyway; their SSE then arrives as gzip or deflate, flushed per event, and is inflated here as it comes, so
 * events are not held back: a read returns as soon as the inflater has output, and {@link #available()} says 0 when
 * the next read would wait for the network (the pump ends a batch there).
 */
final class EncodedBody {

    private EncodedBody() {
    }

    /** {@code body} as the upstream meant it; an encoding ncp cannot undo is a 502 that names it. */
    static InputStream decode(String contentEncoding, InputStream body) {
        if (contentEncoding == null) {
            return body;
        }
        String encoding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> body;
            case "gzip", "x-gzip" -> new Lazy(body, true);
            case "deflate" -> new Lazy(body, false);
            default -> throw new ApiError(ErrorType.API, 502, "The upstream sent its answer with Content-Encoding: "
                    + contentEncoding.strip() + ", which ncp cannot decode (it reads gzip and deflate). ncp asks for "
                    + "no encoding; configure the gateway in front of the upstream not to compress, or to use gzip.",
                    Map.of());
        };
    }

    /** Inflates on demand: the gzip header is read at the first read, on the reader's thread, not while opening. */
    private static final class Lazy extends InputStream {
        private final InputStream source;
        private final boolean gzip;
        private Inflating inflating;

        Lazy(InputStream source, boolean gzip) {
            this.source = source;
            this.gzip = gzip;
        }

        private Inflating inflating() throws IOException {
            if (inflating == null) {
                inflating = gzip ? new Gzip(source) : new Deflate(source);
            }
            return inflating;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return inflating().read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return inflating == null ? source.available() : inflating.pending();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    private interface Inflating {
        int read(byte[] b, int off, int len) throws IOException;

        /** 0 when the next read would wait for more compressed bytes from the network. */
        int pending() throws IOException;
    }

    private static final class Gzip extends GZIPInputStream implements Inflating {
        private final InputStream source;

        Gzip(InputStream source) throws IOException {
            super(source, 8192);
            this.source = source;
        }

        @Override
        public int pending() throws IOException {
            return !inf.needsInput() || source.available() > 0 ? 1 : 0;
        }
    }

    private static final class Deflate extends InflaterInputStream implements Inflating {
        private final InputStream source;

        Deflate(InputStream source) {
            super(source, new Inflater(), 8192);
            this.source = source;
        }

        @Override
        public int pending() throws IOException {
            return !inf.needsInput() || source.available() > 0 ? 1 : 0;
        }
    }
}
