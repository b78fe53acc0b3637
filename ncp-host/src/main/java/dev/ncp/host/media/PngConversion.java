package dev.ncp.host.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * GIF and WebP images made PNG for the upstream: NIM's vision models take PNG and JPEG only. The JDK reads GIF (an
 * animation gives its first frame, as Anthropic's API reads it); WebP is read by TwelveMonkeys' ImageIO plugin. The
 * size is kept, so the token estimate (by width and height) stays what is sent. Bounded: images over
 * {@link #MAX_PIXELS} are refused before they are decoded. Conversions are remembered by the image's SHA-256 (an
 * agent sends the same screenshot with every turn of its history).
 *
 * <p>Thread-safe; one per process.
 */
public final class PngConversion {

    /** The media types converted; PNG and JPEG pass as they are. */
    public static final Set<String> CONVERTED = Set.of("image/gif", "image/webp");
    /** 50 megapixels: a decoded image of 200 MB, far beyond what a vision model scales down to (~1.15 MP). */
    static final long MAX_PIXELS = 50_000_000L;
    private static final long CACHE_MAX_BYTES = 64L * 1024 * 1024;

    /** Why an image could not be converted, in words for an error or a note. */
    public static final class Unconvertible extends Exception {
        public Unconvertible(String message) {
            super(message);
        }
    }

    private final Cache<String, String> cache = Caffeine.newBuilder()
            .maximumWeight(CACHE_MAX_BYTES)
            .weigher((String key, String png) -> png.length() + 64)
            .build();

    public static boolean converts(String mediaType) {
        return mediaType != null && CONVERTED.contains(mediaType.toLowerCase(Locale.ROOT));
    }

    /** The base64 of {@code base64}'s image (of {@code mediaType}) as a PNG. */
    public String toPng(String mediaType, String base64) throws Unconvertible {
        byte[] image;
        try {
            image = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Unconvertible("its base64 data is not valid");
        }
        String key = PdfText.Digests.sha256(image);
        String cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        String png = Base64.getEncoder().encodeToString(convert(mediaType, image));
        cache.put(key, png);
        return png;
    }

    private static byte[] convert(String mediaType, byte[] image) throws Unconvertible {
        String format = mediaType.toLowerCase(Locale.ROOT).substring("image/".length());
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new Unconvertible("ncp has no " + format.toUpperCase(Locale.ROOT) + " reader; convert the image"
                        + " to PNG or JPEG before sending it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new Unconvertible("it has " + pixels + " pixels, over the " + MAX_PIXELS + " ncp converts;"
                            + " scale it down or send it as PNG or JPEG");
                }
                BufferedImage decoded = reader.read(0);
                var out = new ByteArrayOutputStream(image.length * 2);
                if (!ImageIO.write(decoded, "png", out)) {
                    throw new Unconvertible("it could not be written as PNG");
                }
                return out.toByteArray();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Unconvertible("it is not a readable " + format.toUpperCase(Locale.ROOT) + " image ("
                    + e.getMessage() + ")");
        }
    }
}
