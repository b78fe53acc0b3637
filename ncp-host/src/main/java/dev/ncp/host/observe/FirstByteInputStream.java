package dev.ncp.host.observe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An upstream body that runs {@code onFirstByte} once, when its first byte has been read. */
final class FirstByteInputStream extends FilterInputStream {

    private final Runnable onFirstByte;
    private boolean seen;

    FirstByteInputStream(InputStream body, Runnable onFirstByte) {
        super(body);
        this.onFirstByte = onFirstByte;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            seen();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            seen();
        }
        return n;
    }

    private void seen() {
        if (!seen) {
            seen = true;
            onFirstByte.run();
        }
    }
}
