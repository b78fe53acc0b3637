package dev.ncp.plugin.keyfile;

import dev.ncp.api.auth.AuthDecision;
import dev.ncp.api.auth.Principal;
import dev.ncp.keyfile.KeyEntry;
import dev.ncp.keyfile.KeyFile;
import dev.ncp.keyfile.KeyHashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one key file, as of at most {@link #RELOAD_EVERY} ago. The file is re-read (it is small) when a
 * request comes and the last read is older than that, so an added or revoked key takes effect within a second
 * without a restart or a watcher thread. A file that does not parse keeps the last good keys (and says so in the
 * log); a file that disappears means no keys.
 *
 * <p>PBKDF2 costs a few hundred milliseconds by design, so a key verified once is remembered by its SHA-256 for as
 * long as the file is unchanged: every reload forgets them all, which is what makes revocation immediate. Only keys
 * that verified are remembered, so the cache is never larger than the file.
 */
final class KeyRing {

    static final Duration RELOAD_EVERY = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    private record Snapshot(byte[] bytes, Map<String, KeyEntry> byLookupId) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, String> verified = new ConcurrentHashMap<>(); // key fingerprint → lookup id
    private volatile Snapshot snapshot = new Snapshot(new byte[0], Map.of());
    private volatile Instant lastRead = Instant.MIN;

    KeyRing(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        reload();
    }

    AuthDecision decide(String presented) {
        refreshIfDue();
        Snapshot keys = snapshot;
        Optional<String> lookupId = KeyHashing.lookupId(presented);
        KeyEntry entry = lookupId.map(keys.byLookupId()::get).orElse(null);
        if (entry == null) {
            return AuthDecision.reject("Unknown ncp key: this proxy has no key like it. Ask its administrator for one "
                    + "(ncp keys add).");
        }
        String fingerprint = KeyHashing.fingerprint(presented);
        if (!entry.lookupId().equals(verified.get(fingerprint))) {
            if (!KeyHashing.matches(presented, entry)) {
                return AuthDecision.reject("Unknown ncp key: this proxy has no key like it. Ask its administrator for "
                        + "one (ncp keys add).");
            }
            if (snapshot == keys) {
                verified.put(fingerprint, entry.lookupId());
            }
        }
        if (entry.isRevoked()) {
            return AuthDecision.reject("The ncp key '" + entry.name() + "' was revoked on " + entry.revoked()
                    + ". Ask the proxy's administrator for a new key.");
        }
        Optional<Instant> expires = entry.expiresAt();
        if (expires.isPresent() && !clock.instant().isBefore(expires.get())) {
            return AuthDecision.reject("The ncp key '" + entry.name() + "' expired on " + expires.get()
                    + ". Ask the proxy's administrator for a new key or a later expiry.");
        }
        return AuthDecision.accept(new Principal("key:" + entry.name(), entry.requestsPerMinute(),
                new HashSet<>(entry.models()), entry.isOperator()));
    }

    private void refreshIfDue() {
        if (Duration.between(lastRead, clock.instant()).compareTo(RELOAD_EVERY) >= 0) {
            synchronized (this) {
                if (Duration.between(lastRead, clock.instant()).compareTo(RELOAD_EVERY) >= 0) {
                    reload();
                }
            }
        }
    }

    private void reload() {
        lastRead = clock.instant();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            bytes = new byte[0];
        } catch (IOException e) {
            LOG.warn("key file {} cannot be read ({}); keeping the keys read before", file, e.getMessage());
            return;
        }
        if (Arrays.equals(bytes, snapshot.bytes())) {
            return;
        }
        Map<String, KeyEntry> byLookupId;
        try {
            byLookupId = bytes.length == 0 ? Map.of() : KeyFile.parse(bytes).keys().stream()
                    .collect(Collectors.toUnmodifiableMap(KeyEntry::lookupId, Function.identity(), (a, b) -> a));
        } catch (IOException | RuntimeException e) {
            LOG.warn("key file {} is not valid ({}); keeping the keys read before", file, e.getMessage());
            return;
        }
        snapshot = new Snapshot(bytes, byLookupId);
        verified.clear();
        LOG.info("key file {}: {} keys", file, byLookupId.size());
    }
}
