package dev.ncp.host.security;

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

    private String sealed(String... pieces) {
        ThinkingSigner.Sealing sealing = signer.startSealed();
        for (String piece : pieces) {
            sealing.update(piece);
        }
        return sealing.finish();
    }

    @Test
    void aSealedSignatureCarriesTheThinkingTextBackEvenWhenAPieceSplitsASurrogatePair() {
        String text = "emoji \uD83D\uDE00 and \u65e5\u672c, a longer chain of thought.";
        for (int cut = 0; cut <= text.length(); cut++) {
            String signature = sealed(text.substring(0, cut), text.substring(cut));
            assertTrue(signature.matches("ncp1\\.[A-Za-z0-9_-]+"), signature);
            assertEquals(text, signer.unseal(signature).orElseThrow(), "cut at " + cut);
        }
        assertEquals("", signer.unseal(sealed()).orElseThrow(), "nothing sealed is the empty text");
        assertNotEquals(sealed(text), sealed(text), "a fresh nonce each time: equal texts do not look equal");
        assertFalse(sealed(text).contains("chain"), "the text is encrypted, not encoded");
    }

    @Test
    void aChangedSealOrOneFromAnotherInstallationDoesNotOpen() {
        String signature = sealed("The user asks for 17*23.");
        int at = signature.length() / 2; // inside the ciphertext (a last base64 character may hold only padding)
        String flipped = signature.substring(0, at) + (signature.charAt(at) == 'A' ? 'B' : 'A')
                + signature.substring(at + 1);
        assertTrue(signer.unseal(flipped).isEmpty(), "a changed seal");
        assertTrue(new ThinkingSigner("another-installation-secret!!".getBytes(StandardCharsets.UTF_8))
                .unseal(signature).isEmpty(), "another secret");
        assertTrue(signer.unseal("ncp1.not*base64").isEmpty());
        assertTrue(signer.unseal("ncp1.AAAA").isEmpty(), "too short for a nonce and a tag");
        assertTrue(signer.unseal(signer.sign("x")).isEmpty(), "an HMAC signature is not a seal");
    }
}
