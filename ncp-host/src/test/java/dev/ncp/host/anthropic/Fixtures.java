package dev.ncp.host.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Recorded client requests under {@code fixtures/claude-code/}: each file holds method, path, headers and body. */
public final class Fixtures {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "/fixtures/claude-code/";

    private Fixtures() {
    }

    /** The names of every recorded {@code POST /v1/messages...} request. */
    public static List<String> messageRequests() {
        try (Stream<Path> files = Files.list(Path.of(Fixtures.class.getResource(DIR).toURI()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains("POST-v1-messages"))
                    .sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request body of fixture {@code name}, as bytes the way the client sent it. */
    public static byte[] body(String name) {
        try {
            return JSON.writeValueAsBytes(bodyTree(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode bodyTree(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return JSON.readTree(in).get("body");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
