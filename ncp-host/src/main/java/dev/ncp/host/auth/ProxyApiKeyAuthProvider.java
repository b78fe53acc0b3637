package dev.ncp.host.auth;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.auth.AuthRequest;
import dev.ncp.api.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code PROXY_API_KEY}: the client presents the key as {@code x-api-key} or {@code Authorization: Bearer}.
 * Compared in constant time (over SHA-256 digests, so neither length nor content leaks through timing).
 */
public final class ProxyApiKeyAuthProvider implements AuthProvider {

    private final byte[] expectedDigest;

    public ProxyApiKeyAuthProvider(String proxyApiKey) {
        this.expectedDigest = sha256(proxyApiKey);
    }

    @Override
    public String name() {
        return "proxy-api-key";
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public AuthDecision authenticate(AuthRequest request) {
        var key = request.presentedKey();
        if (key.isEmpty()) {
            return AuthDecision.reject("This ncp proxy requires an API key: send the value of its PROXY_API_KEY as "
                    + "the x-api-key header or as Authorization: Bearer <key> (for Claude Code, set "
                    + "ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY).");
        }
        if (!MessageDigest.isEqual(expectedDigest, sha256(key.get()))) {
            return AuthDecision.reject("Invalid API key for this ncp proxy: send the value of its PROXY_API_KEY.");
        }
        return AuthDecision.accept(Principal.operatorNamed("proxy-key")); // the one shared key is the owner's
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
