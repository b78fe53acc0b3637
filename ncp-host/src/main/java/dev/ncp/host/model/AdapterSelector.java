package dev.ncp.host.model;

import dev.ncp.api.model.ModelAdapter;
import dev.ncp.api.model.ModelInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Picks the adapter for a model: the highest-priority plugin adapter that supports it, else the generic one. */
public final class AdapterSelector {

    private final List<ModelAdapter> adapters;

    public AdapterSelector(List<ModelAdapter> pluginAdapters) {
        List<ModelAdapter> all = new ArrayList<>(pluginAdapters);
        all.add(new GenericAdapter());
        all.sort(Comparator.comparingInt(ModelAdapter::priority).reversed());
        this.adapters = List.copyOf(all);
    }

    public ModelAdapter select(ModelInfo model) {
        for (ModelAdapter a : adapters) {
            if (a.supports(model)) {
                return a;
            }
        }
        throw new IllegalStateException("the generic adapter supports every model");
    }

    public List<String> names() {
        return adapters.stream().map(ModelAdapter::name).toList();
    }
}
