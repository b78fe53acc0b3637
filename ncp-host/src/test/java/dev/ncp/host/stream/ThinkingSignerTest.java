package dev.ncp.host.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ThinkingSignerTest {

    private static final byte[] SECRET = "0123456789abcdef-install-secret".getBytes(StandardCharsets.UTF_8);
    private final ThinkingSigner signer = new ThinkingSigner(SECRET);

    @Test
    void theSignatureIsBase64HmacSha256OfTheThinkingText() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal("I think, therefore".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, signer.sign("I think, therefore"));
    }

    @Test
    void signingInPiecesEqualsSigningTheWholeEvenWhenAPieceSplitsASurrogatePair() {
        String text = "emoji \uD83D\uDE00 and \u65e5\u672c";
        for (int cut = 0; cut <= text.length(); cut++) {
            ThinkingSigner.Signature s = signer.start();
            s.update(text.substring(0, cut));
            s.update(text.substring(cut));
            assertEquals(signer.sign(text), s.finish(), "cut at " + cut);
        }
    }

    @Test
    void verifyAcceptsOnlyOurSignatureOfThatText() {
        String signature = signer.sign("abc");
        assertTrue(signer.verify("abc", signature));
        assertFalse(signer.verify("abd", signature));
        assertFalse(signer.verify("abc", null));
        assertNotEquals(signature, new ThinkingSigner("another-secret-of-16+bytes".getBytes(StandardCharsets.UTF_8)).sign("abc"));
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ThinkingSigner(new byte[8]));
    }
}
