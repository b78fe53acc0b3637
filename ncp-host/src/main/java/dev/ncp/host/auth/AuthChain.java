package dev.ncp.host.auth;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.auth.AuthRequest;
import dev.ncp.api.auth.AuthSettings;
import dev.ncp.api.auth.Principal;
import dev.ncp.host.config.Config;
import dev.ncp.host.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Asks the auth providers in order; the first that does not abstain decides. Plugin providers come first, then
 * {@code PROXY_API_KEY}; open mode exists only when nothing else is configured and the proxy is on loopback.
 */
public final class AuthChain {

    private final List<AuthProvider> providers;
    private final Optional<ClientKeyPassthrough> passthrough;

    AuthChain(List<AuthProvider> providers, Optional<ClientKeyPassthrough> passthrough) {
        this.providers = providers.stream().sorted(Comparator.comparingInt(AuthProvider::order)).toList();
        this.passthrough = passthrough;
    }

    /**
     * @param keyPassthrough {@code NCP_KEY_PASSTHROUGH}: clients' own {@code nvapi-} keys are accepted and used
     *                       upstream, on the Messages endpoints only; it does not stand in for the proxy's own
     *                       auth (open mode on loopback, a key or a plugin) on any other endpoint
     */
    public static AuthChain forConfig(Config config, List<AuthProvider> pluginProviders, boolean keyPassthrough) {
        var settings = new AuthSettings(config.dataDirectory(), config.values());
        List<AuthProvider> providers = new ArrayList<>();
        Optional<ClientKeyPassthrough> passthrough = keyPassthrough ? Optional.of(new ClientKeyPassthrough())
                : Optional.empty();
        for (AuthProvider p : pluginProviders) {
            if (p.enabled(settings)) {
                providers.add(p);
            }
        }
        config.proxyApiKey().ifPresent(key -> providers.add(new ProxyApiKeyAuthProvider(key)));
        if (providers.isEmpty()) {
            if (!config.loopbackOnly() && passthrough.isEmpty()) {
                throw new ConfigException("PROXY_HOST=" + config.host() + " exposes ncp beyond this machine without "
                        + "authentication: set PROXY_API_KEY (or install an auth plugin), or bind PROXY_HOST=127.0.0.1.");
            }
            if (config.loopbackOnly()) {
                providers.add(new OpenLoopbackAuthProvider());
            } // beyond loopback with pass-through alone: only the Messages endpoints open, with a client's own key
        }
        passthrough.ifPresent(providers::add);
        return new AuthChain(providers, passthrough);
    }

    /** Whether requests must present a credential (anything but open loopback mode). */
    public boolean requiresCredential() {
        return providers.stream().noneMatch(p -> p instanceof OpenLoopbackAuthProvider);
    }

    /**
     * The client's own upstream key, when key pass-through accepted this request as {@code principal}; empty
     * means the configured {@code NVIDIA_API_KEY}.
     */
    public Optional<String> upstreamKey(AuthRequest request, Principal principal) {
        return passthrough.flatMap(p -> p.upstreamKey(request, principal));
    }

    public AuthDecision authenticate(AuthRequest request) {
        for (AuthProvider p : providers) {
            AuthDecision d = p.authenticate(request);
            if (!(d instanceof AuthDecision.Abstain)) {
                return d;
            }
        }
        return AuthDecision.reject("No credential this ncp proxy accepts was presented: send your key as x-api-key "
                + "or Authorization: Bearer <key>.");
    }

    public List<String> providerNames() {
        return providers.stream().map(AuthProvider::name).toList();
    }
}
