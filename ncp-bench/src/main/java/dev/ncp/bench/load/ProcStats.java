package dev.ncp.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says of one process: CPU time (utime + stime of {@code /proc/<pid>/stat}, in clock
 * ticks of 10 ms) and resident memory ({@code VmRSS}, {@code VmHWM} of {@code /proc/<pid>/status}, in KB).
 */
record ProcStats(long cpuMillis, long rssKb, long peakRssKb) {

    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new ProcStats(ticks * 1000 / TICKS_PER_SECOND, rss, hwm);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc of process " + pid, e);
        }
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
