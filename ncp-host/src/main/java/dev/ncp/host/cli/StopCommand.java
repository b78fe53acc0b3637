package dev.ncp.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ncp stop}: stops the background proxy, letting answers in flight finish. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop the proxy ncp start started, letting answers in flight finish.",
                "SIGTERM: it takes no new requests, answers in flight finish within NCP_SHUTDOWN_TIMEOUT_SECONDS"
                        + " (default 30), then it exits."},
        footerHeading = "%nExample:%n", footer = "  ncp stop --port 8788",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped, or not running", "1:an ncp runs there that ncp start did not start",
                "2:bad configuration"})
final class StopCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsWithShortPort options;

    @Override
    public Integer call() throws InterruptedException {
        return new BackgroundProxy(options.load(null, null), System.out, System.err).stop();
    }
}
