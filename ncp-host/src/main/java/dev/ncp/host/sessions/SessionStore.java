package dev.ncp.host.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.storage.Storage;
import dev.ncp.api.storage.StorageException;
import dev.ncp.host.storage.StorageMutex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Sessions in the storage engine: one JSON record per session ({@code session:<principal>:<id>}, TTL 7 days from
 * the last activity) and one index per principal ({@code sessions:<principal>}, the ids most recently active
 * first, at most {@value #INDEX_LIMIT}). Sessions belong to the principal that made them: another principal cannot
 * read them.
 *
 * <p>Updates are read-modify-write, serialized per key: within an instance by a striped lock, across instances by a
 * {@link StorageMutex} (a put-if-absent lock key with a short TTL), so no request's counts are lost when several
 * instances serve one session. The in-process lock comes first, so an instance's own requests queue in memory and
 * only one of them at a time contends for the shared lock.
 */
public final class SessionStore {

    public static final Duration TTL = Duration.ofDays(7);
    static final int INDEX_LIMIT = 200;
    /** A session update takes a few storage round trips; a lock outlives a dead holder by at most this. */
    private static final Duration LOCK_TTL = Duration.ofSeconds(5);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final TypeReference<List<String>> ID_LIST = new TypeReference<>() { };

    private final Storage storage;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    private final StorageMutex shared;
    /** Cloned per use: MessageDigest.getInstance looks the provider up again on every call. */
    private final MessageDigest sha256;

    public SessionStore(Storage storage, ObjectMapper json, Clock clock) {
        this.storage = storage;
        this.json = json;
        this.clock = clock;
        this.shared = new StorageMutex(storage, LOCK_TTL, LOCK_WAIT);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Adds one request to the session (creating it) and moves the session to the front of the index. */
    public void record(String principalId, String sessionId, AnswerSummary answer) {
        String scope = scope(principalId);
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        String key = recordKey(scope, sessionId);
        locked(key, () -> {
            SessionRecord current = storage.get(key).map(this::parseRecord)
                    .orElseGet(() -> SessionRecord.first(sessionId, now));
            storage.put(key, write(current.plus(answer, now)), TTL);
            return null;
        });
        String indexKey = indexKey(scope);
        Optional<String> seen = storage.get(indexKey);
        if (seen.isPresent() && startsWithId(seen.get(), sessionId)) {
            return; // already the most recent: no lock, nothing to write
        }
        locked(indexKey, () -> {
            Optional<String> stored = storage.get(indexKey);
            if (stored.isPresent() && startsWithId(stored.get(), sessionId)) {
                return null; // already the most recent: nothing to write
            }
            List<String> ids = stored.map(this::parseIndex).orElseGet(List::of);
            if (!ids.isEmpty() && ids.get(0).equals(sessionId)) {
                return null;
            }
            List<String> updated = new ArrayList<>(Math.min(ids.size() + 1, INDEX_LIMIT));
            updated.add(sessionId);
            ids.stream().filter(id -> !id.equals(sessionId)).limit(INDEX_LIMIT - 1).forEach(updated::add);
            storage.put(indexKey, write(updated), TTL);
            return null;
        });
    }

    public Optional<SessionRecord> get(String principalId, String sessionId) {
        return storage.get(recordKey(scope(principalId), sessionId)).map(this::parseRecord);
    }

    /** The principal's sessions, most recently active first; expired ones are left out. */
    public List<SessionRecord> recent(String principalId, int limit) {
        String scope = scope(principalId);
        List<String> ids = storage.get(indexKey(scope)).map(this::parseIndex).orElseGet(List::of);
        List<SessionRecord> sessions = new ArrayList<>();
        for (String id : ids) {
            storage.get(recordKey(scope, id)).map(this::parseRecord).ifPresent(sessions::add);
        }
        sessions.sort(Comparator.comparing(SessionRecord::lastActivity).reversed());
        return sessions.subList(0, Math.min(limit, sessions.size()));
    }

    private <T> T locked(String key, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return shared.run(key, work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a stored index, as written here, starts with {@code sessionId}: a look at its first characters instead
     * of parsing up to {@value #INDEX_LIMIT} ids on every request. Only for ids JSON writes as they are (what
     * {@link SessionIds} lets through); any other id, or an index written differently, is parsed.
     */
    private static boolean startsWithId(String index, String sessionId) {
        return sessionId.indexOf('"') < 0 && sessionId.indexOf('\\') < 0
                && index.startsWith("[\"" + sessionId + "\"");
    }

    private static String recordKey(String scope, String sessionId) {
        return "session:" + scope + ":" + sessionId;
    }

    private static String indexKey(String scope) {
        return "sessions:" + scope;
    }

    /** A fixed-length stand-in for the principal id, whatever characters it has. */
    private String scope(String principalId) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) sha256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        return HexFormat.of().formatHex(digest.digest(principalId.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a session record always serializes", e);
        }
    }

    private SessionRecord parseRecord(String value) {
        try {
            return json.readValue(value, SessionRecord.class);
        } catch (JsonProcessingException e) {
            throw new StorageException("A session record in storage is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private List<String> parseIndex(String value) {
        try {
            return json.readValue(value, ID_LIST);
        } catch (JsonProcessingException e) {
            throw new StorageException("The session index in storage is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
