package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ncp.host.config.Config;
import dev.ncp.host.doctor.RunningNcp;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ncp ui}: the live dashboard in the default browser. A browser cannot send the proxy's key, so the command
 * asks the running ncp for a dashboard token ({@code POST /v1/ncp/dashboard-token}, with the configured key) and
 * opens the page with it; the token opens the page for a minute.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Open the running ncp's live dashboard in the default browser.",
                "With a fresh token, valid for 60 s; the browser is BROWSER, else xdg-open (open on macOS)."},
        footerHeading = "%nExample:%n", footer = "  ncp ui --print     print the URL instead (e.g. over ssh)",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:opened (or printed)", "2:bad configuration", "3:ncp is not running"})
final class UiCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsWithShortPort options;

    @Option(names = "--print", description = "Print the URL instead of opening a browser (default: open).")
    boolean print;

    @Override
    public Integer call() throws InterruptedException {
        Config config = options.load(null, null);
        String url;
        try (var proxy = new ProxyHttp(config)) {
            if (new RunningNcp(proxy.client(), Duration.ofSeconds(3)).health(config.listenUrl(),
                    config.proxyApiKey()).isEmpty()) {
                System.err.println("ncp: ncp is not running on " + config.listenUrl() + "; ncp start starts it.");
                return StatusCommand.NOT_RUNNING;
            }
            Optional<JsonNode> token = proxy.postJson("/v1/ncp/dashboard-token");
            url = config.listenUrl() + token.map(t -> t.path("url").asText()).orElse("/dashboard/stream");
            if (token.isEmpty()) {
                System.err.println("ncp: the proxy gave no dashboard token for this configuration's key (is"
                        + " PROXY_API_KEY set as the proxy has it?); the page will ask for a key.");
            }
        }
        if (print || !open(url)) {
            System.out.println(url);
        } else {
            System.out.println("Opened the dashboard (the link works for 60 s): " + url);
        }
        return 0;
    }

    /** Hands the URL to the desktop's browser; false when there is none to hand it to. */
    private static boolean open(String url) throws InterruptedException {
        for (List<String> command : browsers(url)) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) {
                    return true;
                }
            } catch (IOException notThere) {
                // the next one
            }
        }
        return false;
    }

    private static List<List<String>> browsers(String url) {
        String browser = System.getenv("BROWSER");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        var out = new java.util.ArrayList<List<String>>();
        if (browser != null && !browser.isBlank()) {
            for (String b : browser.split(File.pathSeparator)) {
                out.add(List.of(b, url));
            }
        }
        if (os.contains("mac")) {
            out.add(List.of("open", url));
        } else if (os.contains("win")) {
            out.add(List.of("rundll32", "url.dll,FileProtocolHandler", url));
        } else {
            out.add(List.of("xdg-open", url));
        }
        return out;
    }
}
