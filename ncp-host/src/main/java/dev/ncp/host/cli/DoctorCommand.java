package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.doctor.Doctor;
import dev.ncp.host.doctor.Finding;
import dev.ncp.host.storage.BuiltinStorageEngines;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ncp doctor}: checks everything ncp and Claude Code need, one line each, with the fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the JDK, the NVIDIA key and upstream, each named upstream, storage, plugins, the port (a running ncp there is"
                + " fine) and Claude Code.",
        footerHeading = "%nExample:%n", footer = "  ncp doctor --config ~/.ncp/config.yaml",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:every check passed", "1:something needs fixing"})
final class DoctorCommand implements Callable<Integer> {

    /** NIM answers /models in well under a second; five leave room for a slow network without hanging. */
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(5);

    @Mixin
    ConfigOptionsWithShortPort options;

    @Override
    public Integer call() {
        LogLevel.quiet();
        Config config;
        try {
            config = options.loadForInspection();
        } catch (ConfigException e) {
            System.out.println(Finding.problem("configuration: " + e.getMessage(),
                    "correct the setting (docs/configuration.md lists them all)").line());
            return 1;
        }
        List<Finding> findings;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(UPSTREAM_TIMEOUT).build()) {
            findings = new Doctor(config, System.getenv(), BuiltinStorageEngines.all(), http, UPSTREAM_TIMEOUT)
                    .examine();
        }
        findings.forEach(f -> System.out.println(f.line()));
        long problems = findings.stream().filter(f -> !f.ok()).count();
        System.out.println(problems == 0 ? "All checks passed." : problems + " problem" + (problems == 1 ? "" : "s")
                + " to fix.");
        return problems == 0 ? 0 : 1;
    }
}
