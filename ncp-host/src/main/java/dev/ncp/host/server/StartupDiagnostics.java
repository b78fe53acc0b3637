package dev.ncp.host.server;

import dev.ncp.host.config.ClaudeFamily;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.Secrets;
import dev.ncp.host.plugin.LoadedPlugin;
import dev.ncp.host.plugin.PluginLoadFailure;
import java.util.ArrayList;
import java.util.List;

/** What ncp prints once it listens: where it is, what it loaded, and how to point Claude Code at it. */
public final class StartupDiagnostics {

    private StartupDiagnostics() {
    }

    public static List<String> lines(NcpServer server, String version) {
        Config c = server.config();
        String url = c.listenUrl();
        List<String> out = new ArrayList<>();
        out.add("ncp " + version + " listening on " + url);
        out.add("  health:     " + url + "/health");
        out.add("  dashboard:  " + url + "/dashboard/stream" + (c.proxyApiKey().isPresent()
                ? "  (ncp ui opens it with a token)" : "  (ncp ui opens it)"));
        out.add("  upstream:   " + c.nvidiaBaseUrl() + " (NVIDIA_API_KEY "
                + c.nvidiaApiKey().map(Secrets::mask).orElse("NOT SET — requests will fail until you export it") + ")");
        out.add("  storage:    " + c.storageEngine() + (c.storageEngine().equals("sqlite")
                ? " (" + c.values().getOrDefault("NCP_SQLITE_PATH", c.dataDirectory().resolve("ncp.db").toString()) + ")"
                : ""));
        out.add("  auth:       " + String.join(", ", server.authProviders())
                + c.proxyApiKey().map(k -> " (PROXY_API_KEY " + Secrets.mask(k) + ")").orElse(""));
        var targets = server.registry().familyTargets();
        out.add("  models:     opus → " + targets.get(ClaudeFamily.OPUS) + ", sonnet → " + targets.get(ClaudeFamily.SONNET)
                + ", haiku → " + targets.get(ClaudeFamily.HAIKU) + "; other names → " + server.registry().defaultModel());
        if (!c.userModels().isEmpty()) {
            out.add("  user models: " + c.userModels().entries().size() + " entries"
                    + (c.userModels().familyTargets().isEmpty() ? "" : ", family targets set")
                    + " (models file / config models:)");
        }
        List<String> routes = c.routes().summary();
        out.add("  routes:     " + (routes.isEmpty() ? "none (scenario routing off)" : String.join(", ", routes)));
        for (LoadedPlugin p : server.plugins().plugins()) {
            out.add("  plugin:     " + p.id() + " " + p.version() + " (" + p.extensions().size() + " extension"
                    + (p.extensions().size() == 1 ? "" : "s") + ")");
        }
        for (PluginLoadFailure f : server.plugins().failures()) {
            out.add("  plugin FAILED: " + f);
        }
        out.add("Point Claude Code at it:");
        out.add("  export ANTHROPIC_BASE_URL=" + url);
        out.add("  export ANTHROPIC_AUTH_TOKEN=" + (c.proxyApiKey().isPresent() ? "<your PROXY_API_KEY>" : "ncp"));
        return out;
    }
}
