package dev.ncp.host.tokens;

import java.util.Base64;

/**
 * Reads an image's width and height from the first bytes of its base64 data (PNG, GIF, WebP headers; JPEG's first
 * SOF marker), decoding only a prefix: cheap even for a multi-megabyte image. Used for token estimates only.
 */
final class ImageDimensions {

    /** Enough for any PNG/GIF/WebP header and for JPEG SOF markers after typical EXIF/ICC segments. */
    private static final int MAX_PREFIX_CHARS = 256 * 1024;

    record Size(int width, int height) {
    }

    private ImageDimensions() {
    }

    /** The size, or null when the data is not a recognisable image. */
    static Size of(String base64) {
        byte[] b;
        try {
            int chars = Math.min(base64.length(), MAX_PREFIX_CHARS) & ~3;
            b = Base64.getDecoder().decode(base64.substring(0, chars));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (b.length >= 24 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return new Size(int32(b, 16), int32(b, 20));
        }
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return new Size(le16(b, 6), le16(b, 8));
        }
        if (b.length >= 30 && b[0] == 'R' && b[1] == 'I' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B') {
            return webp(b);
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return jpeg(b);
        }
        return null;
    }

    private static Size webp(byte[] b) {
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new Size(1 + le24(b, 24), 1 + le24(b, 27));
            case "VP8L" -> {
                int bits = (b[21] & 0xFF) | (b[22] & 0xFF) << 8 | (b[23] & 0xFF) << 16 | (b[24] & 0xFF) << 24;
                yield new Size(1 + (bits & 0x3FFF), 1 + (bits >>> 14 & 0x3FFF));
            }
            case "VP8 " -> new Size(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
            default -> null;
        };
    }

    private static Size jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                return new Size((b[i + 7] & 0xFF) << 8 | (b[i + 8] & 0xFF), (b[i + 5] & 0xFF) << 8 | (b[i + 6] & 0xFF));
            }
            i += 2 + length;
        }
        return null;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int le24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }
}
