package dev.ncp.host.translate;

import dev.ncp.host.anthropic.ContentBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * One conversation turn on its way upstream: consecutive client messages of the same role merged (Anthropic
 * merges them too), each block remembering where the client put it so errors can name
 * {@code messages.N.content.M}.
 */
record Turn(String role, List<Located> blocks) {

    /** A content block and its position in the client's request. */
    record Located(ContentBlock block, int message, int index) {
        String path() {
            return "messages." + message + ".content." + index;
        }
    }

    static Turn of(String role) {
        return new Turn(role, new ArrayList<>());
    }
}
