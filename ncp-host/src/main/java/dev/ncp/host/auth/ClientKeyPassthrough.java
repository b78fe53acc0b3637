package dev.ncp.host.auth;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.auth.AuthRequest;
import dev.ncp.api.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * {@code NCP_KEY_PASSTHROUGH=true}: a client presenting its own NVIDIA key ({@code nvapi-…}) is served with that
 * key upstream, for shared servers where each user brings their key. NVIDIA decides whether the key is good; ncp
 * only names the principal after it ({@code passthrough:} and the first 12 hex digits of its SHA-256), so limits,
 * sessions, logs and metrics tell users apart without ever holding the key anywhere but in the request.
 *
 * <p>ncp cannot verify such a key, so it opens only the endpoints that spend it upstream — where NVIDIA checks it —
 * and {@code count_tokens} (Claude Code calls it beside every conversation; it is answered from the request alone
 * and reveals nothing). Everywhere else (metrics, health, sessions, the dashboard and its websocket) this provider
 * abstains and the proxy's own credential is needed. Runs before every other provider on its endpoints: an
 * {@code nvapi-} key is never anything else's credential.
 */
public final class ClientKeyPassthrough implements AuthProvider {

    static final String NVIDIA_KEY_PREFIX = "nvapi-";
    /** The endpoints a client's own key opens (POST only). */
    static final Set<String> SPENDING_PATHS = Set.of("/v1/messages", "/v1/messages/count_tokens");
    private static final String PRINCIPAL_PREFIX = "passthrough:";

    @Override
    public String name() {
        return "key-passthrough";
    }

    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public AuthDecision authenticate(AuthRequest request) {
        return nvidiaKey(request).<AuthDecision>map(k -> AuthDecision.accept(principalFor(k)))
                .orElseGet(AuthDecision::abstain);
    }

    /** The key to send upstream for a request this provider accepted as {@code principal}. */
    Optional<String> upstreamKey(AuthRequest request, Principal principal) {
        return nvidiaKey(request).filter(k -> principalFor(k).equals(principal));
    }

    private static Optional<String> nvidiaKey(AuthRequest request) {
        if (!"POST".equals(request.method()) || !SPENDING_PATHS.contains(request.path())) {
            return Optional.empty();
        }
        return request.presentedKey().filter(k -> k.startsWith(NVIDIA_KEY_PREFIX) && k.length() > 16);
    }

    static Principal principalFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Principal.named(PRINCIPAL_PREFIX + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
