package dev.ncp.host.translate;

import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.error.ApiError;
import dev.ncp.host.security.ThinkingSigner;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a thinking block a client sends back in history (Claude Code does, in every tool loop). ncp signs
 * the thinking it hands out ({@link ThinkingSigner}: HMAC-SHA256 under this installation's secret, 44 base64
 * characters), so a block sent back is one of:
 * <ul>
 *   <li>verified — ncp's format and the signature matches the text: ncp made it; adapters of
 *       families that want their reasoning back may send it upstream.</li>
 *   <li>foreign — no signature, or one ncp never makes (Anthropic's are long opaque strings): the
 *       conversation came from elsewhere, e.g. a Claude Code session that started on Anthropic's API. The block is
 *       dropped without error so the session keeps working; its text is never forwarded.</li>
 *   <li>rejected — ncp's format but the signature does not match: the text or the signature was changed. The
 *       request gets Anthropic's own 400, {@code messages.N.content.M: Invalid `signature` in `thinking` block},
 *       which clients already know how to recover from.</li>
 * </ul>
 * A block ncp answered with {@code thinking.display: "omitted"} comes back with empty text and a sealed signature
 * ({@code ncp1.…}, the text encrypted): it is verified by opening the seal, and the text inside is what the model
 * adapter gets. A seal that does not open, or a non-empty text that differs from the sealed one, is rejected the
 * same way. Redacted thinking never reaches this class: it is always dropped.
 */
public final class HistoryThinking {

    private static final Logger log = LoggerFactory.getLogger(HistoryThinking.class);

    /** Base64 of a 32-byte HMAC-SHA256: what {@link ThinkingSigner} produces and nothing else does by accident. */
    private static final Pattern NCP_SIGNATURE = Pattern.compile("[A-Za-z0-9+/]{43}=");


    private final ThinkingSigner signer;

    private HistoryThinking(ThinkingSigner signer) {
        this.signer = signer;
    }

    /** Verifies signatures with this installation's signer. */
    public static HistoryThinking verifiedWith(ThinkingSigner signer) {
        return new HistoryThinking(signer);
    }

    /** Verifies nothing: every block is foreign and dropped (for translators built without the signer). */
    static HistoryThinking verifyingNothing() {
        return new HistoryThinking(null);
    }

    /**
     * The block's thinking text if ncp made it (verified; for a sealed block, the text the seal carries), or empty
     * if it is foreign and must be dropped.
     *
     * @param path the block's place in the request, e.g. {@code messages.1.content.0}
     * @throws ApiError 400 when the block carries an ncp signature that does not match its text
     */
    Optional<String> verifiedText(ContentBlock.Thinking block, String path) {
        String signature = block.signature();
        if (signer == null || signature == null) {
            return Optional.empty();
        }
        if (signature.startsWith(ThinkingSigner.SEALED_PREFIX)) {
            Optional<String> sealed = signer.unseal(signature);
            String shown = block.thinking() == null ? "" : block.thinking();
            if (sealed.isPresent() && (shown.isEmpty() || shown.equals(sealed.get()))) {
                return sealed;
            }
            throw refused(path);
        }
        if (!NCP_SIGNATURE.matcher(signature).matches()) {
            return Optional.empty();
        }
        if (signer.verify(block.thinking(), signature)) {
            return Optional.of(block.thinking());
        }
        throw refused(path);
    }

    private static ApiError refused(String path) {
        log.warn("{}: thinking block signed in ncp's format fails verification: its text or signature was changed,"
                + " or another ncp installation (another secret) signed it; instances behind one load balancer must"
                + " share ~/.ncp/secret", path);
        return ApiError.invalidRequest(path + ": Invalid `signature` in `thinking` block");
    }
}
