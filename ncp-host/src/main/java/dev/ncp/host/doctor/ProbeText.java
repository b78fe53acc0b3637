package dev.ncp.host.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/** How the upstream probes put what an upstream answered into a finding's words: one line, short, no stack. */
final class ProbeText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeText() {
    }

    /** A timeout as a user set it: whole seconds as "5 s", anything else in milliseconds. */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** " (N models)" from a models list's {@code data} array, or nothing when the body is not one. */
    static String modelCount(String body) {
        try {
            JsonNode data = JSON.readTree(body).path("data");
            return data.isArray() ? " (" + data.size() + (data.size() == 1 ? " model)" : " models)") : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The failure's kind and message, without its stack. */
    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** A response body on one line, cut at 120 characters: an HTML error page must not fill the screen. */
    static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 120 ? flat : flat.substring(0, 120) + "…";
    }
}
