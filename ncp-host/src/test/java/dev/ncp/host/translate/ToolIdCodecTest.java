package dev.ncp.host.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolIdCodecTest {

    private final ToolIdCodec codec = new ToolIdCodec();

    @ParameterizedTest
    @ValueSource(strings = {"functions.Read:0", "call_abc", "chatcmpl-tool-9f2c", "toolu_01A09q90qw90lq917835lq9",
            "call_\u00e9t\u00e9", "0", "\u0000lead"})
    void upstreamIdSurvivesTheRoundTripThroughTheClient(String upstreamId) {
        String clientId = codec.toClient(upstreamId);
        assertTrue(clientId.matches("toolu_[0-9A-Za-z]+"), clientId);
        assertEquals(upstreamId, codec.toUpstream(clientId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"toolu_01A09q90qw90lq917835lq9", "toolu_mock_001", "toolu_ncp", "toolu_ncp!!"})
    void idsNcpDidNotEncodeGoUpstreamUnchanged(String clientId) {
        assertEquals(clientId, codec.toUpstream(clientId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"toolu_01A09q90qw90lq917835lq9", "toolu_01XYZ"})
    void genuineAnthropicIdsPassThroughBothWays(String id) {
        assertEquals(id, codec.toClient(id));
        assertEquals(id, codec.toUpstream(codec.toClient(id)));
    }
}
