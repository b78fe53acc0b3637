package dev.ncp.host.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed access to the raw values, each failure a one-line {@link ConfigException}. */
record SettingValues(Map<String, String> raw) {

    Optional<String> text(Setting s) {
        return Optional.ofNullable(raw.get(s.name())).map(String::strip).filter(x -> !x.isEmpty());
    }

    ConfigException missing(Setting s) {
        return new ConfigException(s.name() + " must not be empty.");
    }

    Optional<Integer> integer(Setting s, int min, int max) {
        return text(s).map(x -> {
            try {
                int n = Integer.parseInt(x);
                if (n < min || n > max) {
                    throw ConfigException.invalid(s, x, "expected a whole number from " + min + " to " + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw ConfigException.invalid(s, x, "expected a whole number from " + min + " to " + max);
            }
        });
    }

    boolean bool(Setting s) {
        return text(s).map(x -> switch (x.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ConfigException.invalid(s, x, "expected true or false");
        }).orElse(false);
    }

    URI url(Setting s) {
        String x = text(s).orElseThrow(() -> missing(s));
        try {
            URI uri = new URI(x);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ConfigException.invalid(s, x, "expected an http:// or https:// URL");
            }
            return x.endsWith("/") ? new URI(x.substring(0, x.length() - 1)) : uri;
        } catch (URISyntaxException e) {
            throw ConfigException.invalid(s, x, "expected an http:// or https:// URL");
        }
    }

    List<String> list(Setting s) {
        return text(s).map(x -> Arrays.stream(x.split(",")).map(String::strip).filter(y -> !y.isEmpty()).toList())
                .orElse(List.of());
    }

    /** One of {@code allowed} (case-insensitive), lower-cased. */
    Optional<String> choice(Setting s, List<String> allowed) {
        return text(s).map(x -> {
            String lower = x.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw ConfigException.invalid(s, x, "expected one of " + String.join(", ", allowed));
            }
            return lower;
        });
    }

    Config.UpstreamProtocol upstreamProtocol() {
        String x = text(Setting.NCP_UPSTREAM_PROTOCOL).orElse("openai");
        return switch (x.toLowerCase(Locale.ROOT)) {
            case "openai" -> Config.UpstreamProtocol.OPENAI;
            case "anthropic" -> Config.UpstreamProtocol.ANTHROPIC;
            default -> throw ConfigException.invalid(Setting.NCP_UPSTREAM_PROTOCOL, x, "expected openai or anthropic");
        };
    }

    ScenarioRoutes routes() {
        return new ScenarioRoutes(route(Setting.NCP_ROUTE_BACKGROUND), route(Setting.NCP_ROUTE_THINK),
                route(Setting.NCP_ROUTE_LONG_CONTEXT),
                integer(Setting.NCP_LONG_CONTEXT_THRESHOLD, 1, Integer.MAX_VALUE)
                        .orElse(ScenarioRoutes.DEFAULT_LONG_CONTEXT_THRESHOLD),
                route(Setting.NCP_ROUTE_IMAGE), route(Setting.NCP_ROUTE_SUBAGENT));
    }

    /** A scenario route's target; {@code off} (or empty) turns a route with a default off. */
    Optional<String> route(Setting s) {
        return text(s).filter(x -> !x.equalsIgnoreCase("off"));
    }

    String storageEngine() {
        String x = text(Setting.STORAGE_ENGINE).orElseThrow(() -> missing(Setting.STORAGE_ENGINE));
        if (!x.matches("[a-z][a-z0-9-]*")) {
            throw ConfigException.invalid(Setting.STORAGE_ENGINE, x,
                    "expected an engine name such as memory, sqlite or redis");
        }
        return x;
    }
}
