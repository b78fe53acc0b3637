package dev.ncp.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import dev.ncp.host.model.ModelRegistry;
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
        description = "List the models ncp knows: id, aliases, context window, max output, tools, vision, reasoning.",
        footerHeading = "%nExample:%n", footer = "  ncp models --json | jq -r '.[] | select(.vision) | .id'",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed", "2:bad configuration"})
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--json", description = "One JSON array instead of a table (default: a table).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ModelRegistry registry;
        try {
            Config config = options.load(null, null);
            registry = ModelsRefreshCommand.registry(config);
        } catch (ConfigException e) {
            System.err.println("ncp: " + e.getMessage());
            return 2;
        }
        List<ModelInfo> models = registry.models().stream().sorted(Comparator.comparing(ModelInfo::id)).toList();
        if (json) {
            var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            System.out.println(mapper.writeValueAsString(models.stream().map(ModelsCommand::describe).toList()));
            return 0;
        }
        System.out.printf("%-48s %-34s %8s %8s %-5s %-6s %s%n", "ID", "ALIASES", "CONTEXT", "OUTPUT", "TOOLS",
                "VISION", "REASONING");
        for (ModelInfo m : models) {
            var c = m.capabilities();
            System.out.printf("%-48s %-34s %8d %8d %-5s %-6s %s%n", m.id(),
                    m.aliases().isEmpty() ? "-" : String.join(",", m.aliases()), m.contextWindow(),
                    m.maxOutputTokens(), yes(c.tools()), yes(c.vision()), yes(c.reasoning()));
        }
        var targets = registry.familyTargets();
        System.out.println(models.size() + " models. Claude names: opus → " + targets.get(ClaudeFamily.OPUS)
                + ", sonnet → " + targets.get(ClaudeFamily.SONNET) + ", haiku → " + targets.get(ClaudeFamily.HAIKU)
                + "; other names → " + registry.defaultModel() + ".");
        return 0;
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
