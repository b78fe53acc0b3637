package dev.ncp.bench;

import java.io.InputStream;

/**
 * An upstream body that, like a socket during a live answer, hands over at most one SSE event per read: tokens
 * arrive one by one, so each read the pump makes sees one chunk.
 */
final class EventByEventInputStream extends InputStream {

    private final UpstreamStreams.Stream stream;
    private int position;
    private int event;

    EventByEventInputStream(UpstreamStreams.Stream stream) {
        this.stream = stream;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        int[] ends = stream.eventEnds();
        if (event == ends.length) {
            return -1;
        }
        int n = Math.min(length, ends[event] - position);
        System.arraycopy(stream.body(), position, buffer, offset, n);
        position += n;
        if (position == ends[event]) {
            event++;
        }
        return n;
    }
}
