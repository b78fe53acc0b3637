package dev.ncp.bench.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap after garbage collection, read from the JVM's own GC log ({@code -Xlog:gc:file=…}, one line per collection:
 * {@code GC(12) Pause Young (Allocation Failure) 52M->11M(60M) 2.345ms}). Reading the log costs ncp nothing, where
 * asking it (jcmd) would stop it; the smallest "after" figure of a minute is the floor the heap came back to: the
 * live set plus what the old generation has not collected yet.
 */
final class GcLog {

    private static final Pattern AFTER = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Path file;
    private long offset;

    GcLog(Path file) {
        this.file = file;
    }

    /** The JVM option that writes the log this reads. */
    String jvmOption() {
        return "-Xlog:gc:file=" + file + ":uptime:filecount=0";
    }

    /** The smallest heap-after-GC (MB) among the collections logged since the last call; -1 without any. */
    long minAfterSinceLastRead() throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        long min = -1;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < offset) {
                offset = 0;
            }
            in.seek(offset);
            byte[] bytes = new byte[(int) (in.length() - offset)];
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1; // a half-written last line waits for the next read
            offset += text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
            Matcher m = AFTER.matcher(text.substring(0, end));
            while (m.find()) {
                long after = Long.parseLong(m.group(2));
                min = min < 0 ? after : Math.min(min, after);
            }
        }
        return min;
    }
}
