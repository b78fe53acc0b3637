package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void hostAloneMeansDefaultPortDatabaseZeroNoLoginNoTls() {
        assertEquals(new RedisEndpoint("cache.internal", 6379, null, null, 0, false),
                RedisEndpoint.parse("redis://cache.internal", Optional.empty()));
    }

    @Test
    void everyPartOfAFullUrlIsRead() {
        assertEquals(new RedisEndpoint("redis.example.com", 6380, "ncp-user", "p@ss:word", 3, true),
                RedisEndpoint.parse("rediss://ncp-user:p%40ss:word@redis.example.com:6380/3", Optional.empty()));
    }

    @Test
    void passwordWithoutUserIsTheDefaultUsersPassword() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://:secret@localhost:6379/0", Optional.empty());
        assertEquals(null, endpoint.user());
        assertEquals("secret", endpoint.password());
    }

    @Test
    void redisPasswordReplacesThePasswordInTheUrl() {
        assertEquals("from-setting",
                RedisEndpoint.parse("redis://:from-url@localhost", Optional.of("from-setting")).password());
    }

    @Test
    void ipv6LiteralLosesItsBracketsForConnectingButKeepsThemInTheAddress() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://[::1]:6390", Optional.empty());
        assertEquals("::1", endpoint.host());
        assertEquals("[::1]:6390", endpoint.address());
    }

    @Test
    void textFormNamesTheServerWithoutCredentials() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss://admin:hunter2@db.local:7000/2", Optional.empty());
        assertEquals("rediss://db.local:7000/2", endpoint.toString());
        assertFalse(endpoint.toString().contains("hunter2"));
        assertEquals("auth failed for ****", endpoint.redact("auth failed for hunter2"));
    }
}
