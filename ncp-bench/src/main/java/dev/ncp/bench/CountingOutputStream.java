package dev.ncp.bench;

import java.io.OutputStream;

/** Discards what is written but counts it, so benchmarks can return (and report) the bytes a client would get. */
final class CountingOutputStream extends OutputStream {

    private long count;

    @Override
    public void write(int b) {
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        count += length;
    }

    long count() {
        return count;
    }
}
