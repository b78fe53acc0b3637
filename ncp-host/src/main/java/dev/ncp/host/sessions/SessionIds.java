package dev.ncp.host.sessions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Claude Code session a request belongs to: the {@code X-Claude-Code-Session-Id} header, else
 * {@code metadata.user_id} — a JSON string with a {@code session_id} in current Claude Code
 * ({@code {"device_id":...,"account_uuid":...,"session_id":...}}), {@code user_<hash>_account_<uuid>_session_<uuid>}
 * in older versions. {@link SessionTracking} reads {@code user_id} from the request the handler parsed; only a body
 * that was never parsed (refused before the handler, or a 400) is scanned, with a streaming parser that skips
 * everything but {@code metadata}.
 */
public final class SessionIds {

    public static final String HEADER = "X-Claude-Code-Session-Id";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern LEGACY = Pattern.compile("_session_([A-Za-z0-9-]{8,64})$");

    private final ObjectMapper json;

    public SessionIds(ObjectMapper json) {
        this.json = json;
    }

    /** The header's session, else the one in the body's {@code metadata.user_id}. */
    public Optional<String> of(String header, byte[] body) {
        return fromHeader(header).or(() -> userId(body).flatMap(this::fromUserId));
    }

    /** The session the {@value #HEADER} header names, when it is a safe name. */
    public Optional<String> fromHeader(String header) {
        return header != null && VALID.matcher(header.strip()).matches() ? Optional.of(header.strip())
                : Optional.empty();
    }

    /** The session in a {@code metadata.user_id} (null when the request has none), when it is a safe name. */
    public Optional<String> fromUserId(String userId) {
        return userId == null ? Optional.empty() : sessionPart(userId).filter(id -> VALID.matcher(id).matches());
    }

    private Optional<String> sessionPart(String userId) {
        String text = userId.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode node = json.readTree(text).path("session_id");
                return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Matcher legacy = LEGACY.matcher(text);
        return legacy.find() ? Optional.of(legacy.group(1)) : Optional.empty();
    }

    /** {@code metadata.user_id} of a Messages request body, without building the rest of it. */
    private Optional<String> userId(byte[] body) {
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        if (inner.equals("user_id") && innerValue == JsonToken.VALUE_STRING) {
                            return Optional.of(p.getText());
                        }
                        p.skipChildren();
                    }
                    return Optional.empty();
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not JSON: the parser will say so; no session to count
        }
    }
}
