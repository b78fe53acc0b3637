package dev.ncp.host.sessions;

import dev.ncp.api.stream.Usage;

/**
 * What one request adds to its session.
 *
 * @param model  the upstream model that answered, or null when none did
 * @param usage  the answer's final usage (zero when it never started)
 * @param failed whether the request ended in an error
 */
record AnswerSummary(String model, Usage usage, boolean failed) {
}
