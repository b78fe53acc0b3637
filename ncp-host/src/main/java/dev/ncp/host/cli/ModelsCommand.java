package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.model.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp models}: the model registry as this configuration builds it (host, plugins, the user's models file). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models ncp knows: id, aliases, context window, max output, tools, vision, reasoning,"
                + " and the upstreams serving each (its deployments).",
        footerHeading = "%nExample:%n", footer = "  ncp models --json | jq -r '.[] | select(.vision) | .id'",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed", "2:bad configuration"})
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--json", description = "One JSON array instead of a table (default: a table).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Config config;
        ModelRegistry registry;
        try {
            config = options.loadForInspection();
            registry = ModelsRefreshCommand.registry(config);
        } catch (ConfigException e) {
            System.err.println("ncp: " + e.getMessage());
            return 2;
        }
        print(registry, new ModelDeployments(config), json, System.out);
        return 0;
    }

    /** The registry's models, sorted by id, as a table or one JSON array, each with its deployments. */
    static void print(ModelRegistry registry, ModelDeployments deployments, boolean json, PrintStream out)
            throws IOException {
        List<ModelInfo> models = registry.models().stream().sorted(Comparator.comparing(ModelInfo::id)).toList();
        if (json) {
            var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(models.stream().map(m -> {
                Map<String, Object> described = describe(m);
                described.put("deployments", deployments.of(m.id()).stream()
                        .map(ModelDeployments.Deployment::json).toList());
                return described;
            }).toList()));
            return;
        }
        out.printf("%-48s %-34s %8s %8s %-5s %-6s %-9s %s%n", "ID", "ALIASES", "CONTEXT", "OUTPUT", "TOOLS",
                "VISION", "REASONING", "UPSTREAMS");
        for (ModelInfo m : models) {
            var c = m.capabilities();
            out.printf("%-48s %-34s %8d %8d %-5s %-6s %-9s %s%n", m.id(),
                    m.aliases().isEmpty() ? "-" : String.join(",", m.aliases()), m.contextWindow(),
                    m.maxOutputTokens(), yes(c.tools()), yes(c.vision()), yes(c.reasoning()), deployments.cell(m.id()));
        }
        var targets = registry.familyTargets();
        out.println(models.size() + " models. Claude names: opus → " + targets.get(ClaudeFamily.OPUS)
                + ", sonnet → " + targets.get(ClaudeFamily.SONNET) + ", haiku → " + targets.get(ClaudeFamily.HAIKU)
                + "; other names → " + registry.defaultModel() + ".");
        if (deployments.anyNamed()) {
            out.println();
            out.println("Deployments (upstream, protocol, base URL, weight):");
            deployments.detail().forEach(line -> out.println("  " + line));
        }
    }

    private static Map<String, Object> describe(ModelInfo m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("family", m.family());
        out.put("aliases", m.aliases());
        out.put("context_window", m.contextWindow());
        out.put("max_output_tokens", m.maxOutputTokens());
        out.put("tools", m.capabilities().tools());
        out.put("vision", m.capabilities().vision());
        out.put("reasoning", m.capabilities().reasoning());
        out.put("fallbacks", m.fallbacks());
        return out;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
