package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ncp restart}: stop, then start with the options given now (and the configuration as it is now). */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Stop the background proxy (as ncp stop) and start it again (as ncp start), e.g. after"
                + " editing ~/.ncp/config.yaml.",
        footerHeading = "%nExample:%n", footer = "  ncp restart --storage redis",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:running again", "1:an ncp runs there that ncp start did not start",
                "2:it could not start (the reason is shown)"})
final class RestartCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Config config = options.load();
        var proxy = new BackgroundProxy(config, System.out, System.err);
        int stopped = proxy.stop();
        return stopped != 0 ? stopped : proxy.start(options.proxyArgs());
    }
}
