package dev.ncp.host.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each model is served: its deployments, the named upstreams its {@code upstreams: [...]} lists, or the
 * default upstream ({@code NVIDIA_BASE_URL}) for a model that lists none — so a configuration without
 * {@code upstreams:} works as it always did. Owns the upstreams' HTTP clients and closes them.
 */
public final class Deployments implements AutoCloseable {

    private final Upstream defaultUpstream;
    private final Map<String, Upstream> named;
    private final Map<String, List<Upstream>> byModel;
    private final List<Upstream> onlyDefault;

    /**
     * @param named       the named upstreams, by name
     * @param deployments model id → the names of its upstreams (each must be in {@code named})
     */
    public Deployments(Upstream defaultUpstream, Map<String, Upstream> named, Map<String, List<String>> deployments) {
        this.defaultUpstream = Objects.requireNonNull(defaultUpstream, "defaultUpstream");
        this.named = Map.copyOf(named);
        this.onlyDefault = List.of(defaultUpstream);
        var models = new LinkedHashMap<String, List<Upstream>>();
        deployments.forEach((model, names) -> models.put(model, names.stream().map(n -> {
            Upstream u = named.get(n);
            if (u == null) {
                throw new IllegalArgumentException("model " + model + " names an unknown upstream " + n);
            }
            return u;
        }).toList()));
        this.byModel = Map.copyOf(models);
    }

    /** Only the default upstream: what ncp had before named upstreams. */
    public static Deployments only(Upstream defaultUpstream) {
        return new Deployments(defaultUpstream, Map.of(), Map.of());
    }

    /** The upstreams serving {@code model}, in configured order; never empty. */
    public List<Upstream> forModel(String model) {
        return byModel.getOrDefault(model, onlyDefault);
    }

    public Upstream defaultUpstream() {
        return defaultUpstream;
    }

    /** Every upstream, the default first. */
    public Collection<Upstream> all() {
        var all = new ArrayList<Upstream>();
        all.add(defaultUpstream);
        all.addAll(named.values());
        return all;
    }

    /** Model id → its upstreams' names, for the models that have named deployments ({@code ncp models}). */
    public Map<String, List<String>> namedDeployments() {
        var out = new LinkedHashMap<String, List<String>>();
        byModel.forEach((model, ups) -> out.put(model, ups.stream().map(Upstream::name).toList()));
        return out;
    }

    @Override
    public void close() {
        for (Upstream u : all()) {
            if (u.client() != null) {
                u.client().close();
            }
        }
    }
}
