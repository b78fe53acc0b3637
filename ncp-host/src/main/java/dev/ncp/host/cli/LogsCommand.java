package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp logs}: the background proxy's log, or its end, optionally followed as it grows. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the log of the proxy ncp start started.", "The file is ~/.ncp/logs/ncp-PORT.log."},
        footerHeading = "%nExample:%n", footer = "  ncp logs -f     follow it (Ctrl-C stops)",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "1:no log yet", "2:bad configuration"})
final class LogsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsWithShortPort options;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is added until interrupted.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100",
            description = "Print the last N lines, 0 for the whole log (default ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Config config = options.load(null, null);
        Path log = PidFile.logFile(config);
        if (!Files.isRegularFile(log)) {
            System.err.println("ncp: no log at " + log + " yet; ncp start writes it.");
            return 1;
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        all.subList(lines <= 0 ? 0 : Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        System.out.flush();
        if (follow) {
            follow(log, Files.size(log));
        }
        return 0;
    }

    private static void follow(Path log, long from) throws IOException, InterruptedException {
        long position = from;
        while (!Thread.currentThread().isInterrupted()) {
            long size = Files.isRegularFile(log) ? Files.size(log) : 0;
            if (size < position) {
                position = 0; // truncated or replaced: start over
            }
            if (size > position) {
                try (var file = new RandomAccessFile(log.toFile(), "r")) {
                    file.seek(position);
                    byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
                    file.readFully(bytes);
                    System.out.write(bytes);
                    System.out.flush();
                    position += bytes.length;
                }
            }
            Thread.sleep(200);
        }
    }
}
