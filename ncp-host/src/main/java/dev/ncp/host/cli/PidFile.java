package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The pid file of a background proxy ({@code ncp start}): {@code <data dir>/run/ncp-<port>.pid}, one per port, so
 * proxies on different ports are started and stopped apart. Written by the proxy itself once it listens and removed
 * when it stops, so a pid file names a process that was serving.
 */
record PidFile(Path path) {

    /** The pid file of the proxy {@code config} describes. */
    static PidFile of(Config config) {
        return new PidFile(config.dataDirectory().resolve("run").resolve("ncp-" + config.port() + ".pid"));
    }

    /** The log file a background proxy on {@code config}'s port writes to. */
    static Path logFile(Config config) {
        return config.dataDirectory().resolve("logs").resolve("ncp-" + config.port() + ".log");
    }

    static PidFile writeCurrent(Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file " + path, e);
        }
        return new PidFile(path);
    }

    /** The live ncp process the file names; a stale file (its process gone, or not an ncp) is removed. */
    Optional<ProcessHandle> process() {
        Optional<ProcessHandle> process;
        try {
            process = ProcessHandle.of(Long.parseLong(Files.readString(path).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> ncp = process.filter(ProcessHandle::isAlive).filter(PidFile::isNcp);
        if (ncp.isEmpty()) {
            delete();
        }
        return ncp;
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A pid file that cannot be removed is found stale and removed by the next start or stop.
        }
    }

    /** A pid may have been reused by another program since: only an ncp JVM is ever signalled. */
    private static boolean isNcp(ProcessHandle process) {
        // The JDK cuts a command line at 4 KB, before ncp's main class (the class path is longer): Linux has it whole.
        Path cmdline = Path.of("/proc", String.valueOf(process.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8)
                        .contains(NcpCommand.class.getName());
            }
        } catch (IOException e) {
            // gone meanwhile, or not readable: what the JDK knows below
        }
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command)
                .map(c -> c.contains(NcpCommand.class.getName()) || c.contains("java")).orElse(true);
    }
}
