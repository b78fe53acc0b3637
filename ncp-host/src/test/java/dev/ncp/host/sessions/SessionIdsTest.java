package dev.ncp.host.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionIdsTest {

    private final SessionIds ids = new SessionIds(new ObjectMapper());

    private static byte[] body(String userId) {
        return ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"{\\\"metadata\\\":1}\"}]}],"
                + "\"metadata\":{\"other\":{\"a\":[1,2]},\"user_id\":" + userId + "},\"max_tokens\":5}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theHeaderWins() {
        assertEquals(Optional.of("abc-123"), ids.of(" abc-123 ", body("\"x_session_11111111-2222\"")));
    }

    @Test
    void currentClaudeCodeSendsAJsonUserIdWithASessionId() {
        String userId = "\"{\\\"device_id\\\":\\\"d\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"5f3c2a9e-1b2c-4d5e-8f90-123456789abc\\\"}\"";
        assertEquals(Optional.of("5f3c2a9e-1b2c-4d5e-8f90-123456789abc"), ids.of(null, body(userId)));
    }

    @Test
    void olderClaudeCodeAppendsTheSessionToTheUserId() {
        String userId = "\"user_0a1b2c_account_5f3c2a9e-1b2c-4d5e-8f90-123456789abc_session_c0ffee00-1111-2222-3333-444455556666\"";
        assertEquals(Optional.of("c0ffee00-1111-2222-3333-444455556666"), ids.of(null, body(userId)));
    }

    @Test
    void noSessionWithoutAnIdOrWithOneThatIsNotASafeName() {
        assertEquals(Optional.empty(), ids.of(null, body("\"plain-user\"")));
        assertEquals(Optional.empty(), ids.of(null, body("42")));
        assertEquals(Optional.empty(), ids.of("../etc/passwd", "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ids.of(null, "not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ids.of(null, "{\"metadata\":{}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aParsedUserIdGivesTheSameSessionAsTheScannedBody() {
        String json = "{\"device_id\":\"d\",\"account_uuid\":\"\",\"session_id\":\"5f3c2a9e-1b2c-4d5e-8f90-123456789abc\"}";
        assertEquals(Optional.of("5f3c2a9e-1b2c-4d5e-8f90-123456789abc"), ids.fromUserId(json));
        assertEquals(Optional.of("c0ffee00-1111-2222-3333-444455556666"),
                ids.fromUserId("user_0a1b2c_account_5f3c_session_c0ffee00-1111-2222-3333-444455556666"));
        assertEquals(Optional.empty(), ids.fromUserId(null));
        assertEquals(Optional.empty(), ids.fromUserId("plain-user"));
        assertEquals(Optional.empty(), ids.fromUserId("{\"session_id\":\"../etc/passwd\"}"));
        assertEquals(Optional.empty(), ids.fromUserId("{\"session_id\":42}"));
    }

    @Test
    void theHeaderAloneNamesASessionWhenItIsASafeName() {
        assertEquals(Optional.of("abc-123"), ids.fromHeader(" abc-123 "));
        assertEquals(Optional.empty(), ids.fromHeader(null));
        assertEquals(Optional.empty(), ids.fromHeader("../etc/passwd"));
    }
}
