package dev.ncp.host.translate;

import dev.ncp.host.anthropic.Ids;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Maps upstream tool-call ids to Anthropic {@code toolu_} ids and back, without storing anything: the upstream id
 * is encoded (base62) into the toolu id, so a tool_result sent in a later request — to any ncp instance, after
 * any restart — finds its call's original upstream id (Kimi K2, for one, insists on its {@code functions.X:0}
 * format in history).
 *
 * <p>Ids that already look like Anthropic's ({@code toolu_} + base62) pass through both ways unchanged.
 */
public final class ToolIdCodec {

    /** Marks an encoded id; genuine Anthropic ids start {@code toolu_01}, so they never collide with it. */
    private static final String PREFIX = "toolu_ncp";
    private static final Pattern ANTHROPIC_STYLE = Pattern.compile("toolu_[0-9A-Za-z]+");
    private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);

    /** The client-facing id for an upstream tool-call id. */
    public String toClient(String upstreamId) {
        if (ANTHROPIC_STYLE.matcher(upstreamId).matches() && !upstreamId.startsWith(PREFIX)) {
            return upstreamId;
        }
        // A leading 0x01 byte keeps leading zero bytes of the id from vanishing in the number.
        byte[] utf8 = upstreamId.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[utf8.length + 1];
        bytes[0] = 1;
        System.arraycopy(utf8, 0, bytes, 1, utf8.length);
        var n = new BigInteger(1, bytes);
        var sb = new StringBuilder();
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(SIXTY_TWO);
            sb.append(Ids.BASE62.charAt(qr[1].intValue()));
            n = qr[0];
        }
        return PREFIX + sb.reverse();
    }

    /** The upstream id for a client-facing id; ids ncp did not encode are returned as they are. */
    public String toUpstream(String clientId) {
        if (!clientId.startsWith(PREFIX) || clientId.length() == PREFIX.length()) {
            return clientId;
        }
        var n = BigInteger.ZERO;
        for (int i = PREFIX.length(); i < clientId.length(); i++) {
            int digit = Ids.BASE62.indexOf(clientId.charAt(i));
            if (digit < 0) {
                return clientId;
            }
            n = n.multiply(SIXTY_TWO).add(BigInteger.valueOf(digit));
        }
        byte[] bytes = n.toByteArray();
        int start = bytes[0] == 0 ? 1 : 0; // BigInteger may add a sign byte
        if (bytes.length - start < 1 || bytes[start] != 1) {
            return clientId;
        }
        return new String(bytes, start + 1, bytes.length - start - 1, StandardCharsets.UTF_8);
    }
}
