package dev.ncp.bench.load;

import dev.ncp.bench.load.StreamingCall.Outcome;
import dev.ncp.bench.load.StreamingCall.Target;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold start to the first answered request: from launching {@code bin/ncp proxy} (fresh home, fresh SQLite file)
 * to the end of the first streamed {@code POST /v1/messages} that completes, polling every 5 ms. With the bundle's
 * start-up cache (the AOT cache {@code lib/ncp.aot} on JDK 25+, else the AppCDS archive {@code lib/ncp.jsa}) and
 * without it (a shadow bundle whose lib/ links every jar but no cache; the JDK's own default CDS stays on in both).
 */
final class ColdStartRun {

    record Result(String variant, List<Double> runsMs, double medianMs, double minMs) {
    }

    private ColdStartRun() {
    }

    static List<Result> run(Path bundle, ScriptedOpenAiUpstream upstream, LoadBodies body, int runs,
                            Map<String, String> env) throws Exception {
        List<Result> results = new ArrayList<>();
        Path shadow = withoutArchive(bundle);
        String cache = Files.exists(bundle.resolve("lib/ncp.aot")) ? "AOT cache"
                : Files.exists(bundle.resolve("lib/ncp.jsa")) ? "AppCDS" : null;
        // Alternately, run by run: on a shared machine the load drifts, and both variants should see the same drift.
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            without.add(firstAnswerMillis(shadow, upstream, body, env));
            if (cache != null) {
                with.add(firstAnswerMillis(bundle, upstream, body, env));
            }
        }
        results.add(result("without a start-up cache", without));
        if (cache != null) {
            results.add(result("with " + cache, with));
        }
        return results;
    }

    private static Result result(String variant, List<Double> times) {
        List<Double> sorted = times.stream().sorted().toList();
        return new Result(variant, times, sorted.get(sorted.size() / 2), sorted.getFirst());
    }

    private static double firstAnswerMillis(Path bundle, ScriptedOpenAiUpstream upstream, LoadBodies body,
                                            Map<String, String> env) throws Exception {
        try (NcpProcess ncp = NcpProcess.start(bundle, upstream.baseUrl(), env);
             HttpClient http = LoadGenerator.newClient()) {
            Target target = Target.anthropic("ncp", ncp.baseUrl(), body.anthropic());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (!ncp.isAlive()) {
                    throw new IOException("ncp exited during start:\n" + ncp.log());
                }
                Outcome o = StreamingCall.run(http, target, false, Duration.ofSeconds(30));
                if (o.ok()) {
                    return (System.nanoTime() - ncp.startNanos()) / 1e6;
                }
                Thread.sleep(5);
            }
            throw new IOException("no answered request within 60 s:\n" + ncp.log());
        }
    }

    /** A copy of the bundle's bin/ with links to its jars, plugins and conf, but no start-up cache. */
    private static Path withoutArchive(Path bundle) throws IOException {
        Path shadow = Files.createTempDirectory("ncp-nocds-");
        Files.createDirectories(shadow.resolve("bin"));
        Files.createDirectories(shadow.resolve("lib"));
        try (Stream<Path> bin = Files.list(bundle.resolve("bin"))) {
            for (Path p : bin.toList()) {
                Files.copy(p, shadow.resolve("bin").resolve(p.getFileName()),
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (Stream<Path> lib = Files.list(bundle.resolve("lib"))) {
            for (Path p : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(shadow.resolve("lib").resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        for (String dir : List.of("plugins", "conf")) {
            if (Files.exists(bundle.resolve(dir))) {
                Files.createSymbolicLink(shadow.resolve(dir), bundle.resolve(dir).toAbsolutePath());
            }
        }
        return shadow;
    }
}
