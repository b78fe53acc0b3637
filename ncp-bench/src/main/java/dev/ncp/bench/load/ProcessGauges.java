package dev.ncp.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The gauges of one process that show a leak over a long run, from Linux's {@code /proc/<pid>}: resident memory
 * ({@code VmRSS}, KB), threads ({@code Threads} of {@code status}) and open file descriptors (entries of {@code fd/},
 * sockets included), with CPU time (utime + stime, ms).
 */
record ProcessGauges(long rssKb, int threads, int fds, long cpuMillis) {

    static ProcessGauges of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long rss = 0;
            int threads = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            int fds;
            try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
                fds = (int) entries.count();
            }
            return new ProcessGauges(rss, threads, fds, ProcStats.of(pid).cpuMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc of process " + pid, e);
        }
    }
}
