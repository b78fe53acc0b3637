package dev.ncp.plugin.keyfile;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.AuthProvider;
import dev.ncp.api.auth.AuthRequest;
import dev.ncp.api.auth.AuthSettings;
import dev.ncp.keyfile.KeyHashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.pf4j.Extension;

/**
 * Named keys from a key file ({@code NCP_KEY_FILE}, default {@code ~/.ncp/keys.json}), managed with
 * {@code ncp keys add|list|revoke}. Takes part only when the file exists at startup. Decides only about keys shaped
 * like its own ({@code sk-ncp-…}); any other credential is left to the next provider (e.g. {@code PROXY_API_KEY}).
 */
@Extension
public class KeyFileAuthProvider implements AuthProvider {

    static final String KEY_FILE_SETTING = "NCP_KEY_FILE";

    private volatile KeyRing keys;

    @Override
    public String name() {
        return "key-file";
    }

    @Override
    public boolean enabled(AuthSettings settings) {
        Path file = settings.value(KEY_FILE_SETTING).map(Path::of)
                .orElse(settings.dataDirectory().resolve("keys.json"));
        if (!Files.isRegularFile(file)) {
            return false;
        }
        keys = new KeyRing(file, Clock.systemUTC());
        return true;
    }

    @Override
    public AuthDecision authenticate(AuthRequest request) {
        KeyRing ring = keys;
        var presented = request.presentedKey().filter(k -> k.startsWith(KeyHashing.PREFIX));
        if (ring == null || presented.isEmpty()) {
            return AuthDecision.abstain();
        }
        return ring.decide(presented.get());
    }
}
