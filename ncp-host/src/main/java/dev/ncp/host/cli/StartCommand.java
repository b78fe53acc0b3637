package dev.ncp.host.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ncp start}: the proxy in the background, with a pid file and a log file under the data directory. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start the proxy in the background; returns once it answers.",
                "Its pid file is ~/.ncp/run/ncp-PORT.pid, its log ~/.ncp/logs/ncp-PORT.log (ncp logs). Refuses"
                        + " when an ncp already runs on the port."},
        footerHeading = "%nExample:%n", footer = "  ncp start --port 8788 && ncp code -p \"explain this repo\"",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:started", "1:an ncp already runs on the port", "2:it could not start (the reason is shown)"})
final class StartCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws IOException, InterruptedException {
        return new BackgroundProxy(options.load(), System.out, System.err).start(options.proxyArgs());
    }
}
