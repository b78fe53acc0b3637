package dev.ncp.host.cli;

import dev.ncp.host.config.Config;
import dev.ncp.host.config.UpstreamDefinition;
import dev.ncp.host.upstream.Upstream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where each model is served, as {@code ncp models} shows it: the named upstreams its {@code upstreams: [...]} lists
 * (name, protocol, base URL, weight), or the default upstream ({@code NVIDIA_BASE_URL}) for a model that lists
 * none. Read from the configuration alone: listing models opens no connection and needs no key.
 */
final class ModelDeployments {

    /** One deployment of a model. */
    record Deployment(String upstream, String protocol, String baseUrl, int weight) {

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("upstream", upstream);
            out.put("protocol", protocol);
            out.put("base_url", baseUrl);
            out.put("weight", weight);
            return out;
        }
    }

    private final Config config;

    ModelDeployments(Config config) {
        this.config = config;
    }

    /** The deployments of {@code modelId}, in configured order; the default upstream alone when it names none. */
    List<Deployment> of(String modelId) {
        List<String> names = config.userModels().deployments().get(modelId);
        if (names == null || names.isEmpty()) {
            return List.of(new Deployment(Upstream.DEFAULT_NAME, protocol(config.upstreamProtocol()),
                    config.nvidiaBaseUrl().toString(), 1));
        }
        return names.stream().map(name -> {
            UpstreamDefinition u = config.userModels().upstreams().get(name);
            return new Deployment(name, protocol(u.protocol()), u.baseUrl().toString(), u.weight());
        }).toList();
    }

    /** Whether any model has deployments of its own (else the table's upstream column says it all). */
    boolean anyNamed() {
        return !config.userModels().deployments().isEmpty();
    }

    /** The table's cell: {@code default}, or the upstream names with their weights ({@code nim-a,nim-b×2}). */
    String cell(String modelId) {
        return String.join(",", of(modelId).stream()
                .map(d -> d.weight() == 1 ? d.upstream() : d.upstream() + "×" + d.weight()).toList());
    }

    /** The lines under the table, one model with named deployments after another, each deployment indented. */
    List<String> detail() {
        var lines = new java.util.ArrayList<String>();
        config.userModels().deployments().keySet().forEach(model -> {
            lines.add(model + ":");
            for (Deployment d : of(model)) {
                lines.add(String.format("  %-16s %-9s %-40s weight %d", d.upstream(), d.protocol(), d.baseUrl(),
                        d.weight()));
            }
        });
        lines.add("Every other model: default upstream (" + config.nvidiaBaseUrl() + ", "
                + protocol(config.upstreamProtocol()) + ").");
        return lines;
    }

    private static String protocol(Config.UpstreamProtocol p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
