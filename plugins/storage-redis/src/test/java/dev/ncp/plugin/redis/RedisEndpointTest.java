package dev.ncp.plugin.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ncp.api.storage.StorageException;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void hostAloneMeansDefaultPortDatabaseZeroNoLoginNoTls() {
        assertEquals(new RedisEndpoint(List.of(new RedisEndpoint.Node("cache.internal", 6379)), null, null, 0, false),
                RedisEndpoint.parse("redis://cache.internal", Optional.empty()));
    }

    @Test
    void everyPartOfAFullUrlIsRead() {
        assertEquals(new RedisEndpoint(List.of(new RedisEndpoint.Node("redis.example.com", 6380)), "ncp-user", "p@ss:word", 3,
                        true),
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

    @Test
    void severalNodesAreReadInOrderWithOneLoginAndDatabase() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://:pw@10.0.0.1:26379,[::1]:26380,sentinel-c/2",
                Optional.empty());
        assertEquals(List.of(new RedisEndpoint.Node("10.0.0.1", 26379), new RedisEndpoint.Node("::1", 26380),
                new RedisEndpoint.Node("sentinel-c", 6379)), endpoint.nodes());
        assertEquals("pw", endpoint.password());
        assertEquals(2, endpoint.database());
        assertEquals("redis://10.0.0.1:26379,[::1]:26380,sentinel-c:6379/2", endpoint.toString());
    }

    @Test
    void standaloneRefusesANodeListAndClusterRefusesADatabase() {
        RedisEndpoint list = RedisEndpoint.parse("redis://a:1,b:2", Optional.empty());
        var standalone = assertThrows(StorageException.class, () -> RedisMode.STANDALONE.check(list));
        assertTrue(standalone.getMessage().contains("REDIS_MODE=sentinel"), standalone.getMessage());
        RedisMode.SENTINEL.check(list);

        RedisEndpoint withDatabase = RedisEndpoint.parse("redis://a:1,b:2/3", Optional.empty());
        var cluster = assertThrows(StorageException.class, () -> RedisMode.CLUSTER.check(withDatabase));
        assertTrue(cluster.getMessage().contains("only database 0"), cluster.getMessage());
    }

    @Test
    void unknownModeIsRefusedNamingTheChoices() {
        var e = assertThrows(StorageException.class, () -> RedisMode.parse(Optional.of("replicated")));
        assertEquals("REDIS_MODE must be standalone, sentinel or cluster; got 'replicated'.", e.getMessage());
        assertEquals(RedisMode.STANDALONE, RedisMode.parse(Optional.empty()));
        assertEquals(RedisMode.CLUSTER, RedisMode.parse(Optional.of(" Cluster ")));
    }
}
