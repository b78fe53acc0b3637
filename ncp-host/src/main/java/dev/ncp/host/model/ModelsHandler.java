package dev.ncp.host.model;

import dev.ncp.api.model.ModelInfo;
import dev.ncp.host.error.ApiError;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in Anthropic's format: aliases first, then upstream ids,
 * with Anthropic's cursor pagination ({@code limit}, {@code after_id}, {@code before_id}). Each entry also carries an
 * {@code ncp} object with what the model behind it can do (context window, max output, tools, vision, reasoning,
 * pdf): Anthropic's own entries have no such field, and its SDKs ignore fields they do not know, while a client
 * written for ncp can pick a model without trial and error.
 */
public final class ModelsHandler {

    /** Models have no creation date upstream; a fixed one keeps answers stable. */
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    private final ModelRegistry registry;

    public ModelsHandler(ModelRegistry registry) {
        this.registry = registry;
    }

    public void list(Context ctx) {
        List<Map<String, Object>> all = entries();
        int limit = limit(ctx.queryParam("limit"));
        int from = 0;
        int to = all.size();
        String after = ctx.queryParam("after_id");
        String before = ctx.queryParam("before_id");
        if (after != null) {
            from = indexOf(all, after, "after_id") + 1;
        }
        if (before != null) {
            to = indexOf(all, before, "before_id");
            from = Math.max(from, to - limit);
        }
        List<Map<String, Object>> page = all.subList(from, Math.min(to, from + limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page);
        body.put("has_more", before != null ? from > 0 : from + page.size() < to);
        body.put("first_id", page.isEmpty() ? null : page.get(0).get("id"));
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).get("id"));
        ctx.json(body);
    }

    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        Resolution r = registry.lookup(id).orElseThrow(() -> ApiError.notFound("model: " + id
                + " is not known to this ncp proxy. GET /v1/models lists the names it serves; any claude-opus, "
                + "claude-sonnet or claude-haiku name and any NIM id (org/name) also work."));
        ctx.json(entry(id, r.model()));
    }

    private List<Map<String, Object>> entries() {
        List<Map<String, Object>> out = new ArrayList<>();
        registry.aliases().forEach((alias, target) -> out.add(entry(alias, registry.model(target))));
        registry.models().forEach(m -> out.add(entry(m.id(), m)));
        return out;
    }

    private static Map<String, Object> entry(String id, ModelInfo model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "model");
        m.put("id", id);
        m.put("display_name", id.equals(model.id()) ? model.id() : id + " → " + model.id());
        m.put("created_at", CREATED_AT);
        // Anthropic's own limit fields (its SDKs read them as maxInputTokens()/maxTokens()); its `capabilities`
        // object is left out, as most of it (batch, citations, server tools…) has no meaning here.
        m.put("max_input_tokens", model.contextWindow());
        m.put("max_tokens", model.maxOutputTokens());
        m.put("lifecycle", "active"); // what ncp lists it serves; a retired upstream id answers 404 when called
        m.put("ncp", capabilities(model));
        return m;
    }

    private static Map<String, Object> capabilities(ModelInfo model) {
        ModelInfo.Capabilities c = model.capabilities();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upstream_id", model.id());
        m.put("context_window", model.contextWindow());
        m.put("max_output_tokens", model.maxOutputTokens());
        m.put("tools", c.tools());
        m.put("vision", c.vision());
        m.put("reasoning", c.reasoning());
        m.put("pdf", c.pdf());
        return m;
    }

    private static int limit(String raw) {
        if (raw == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw ApiError.invalidRequest("limit: expected a whole number from 1 to 1000, got '" + raw + "'.");
    }

    private static int indexOf(List<Map<String, Object>> all, String id, String param) {
        for (int i = 0; i < all.size(); i++) {
            if (id.equals(all.get(i).get("id"))) {
                return i;
            }
        }
        throw ApiError.invalidRequest(param + ": no model with id '" + id + "' in the list.");
    }
}
