package dev.ncp.host.stream;

import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.host.translate.Ids;
import java.util.function.IntSupplier;

/**
 * What processors know about one answer. Block keys come from the same counter the translator uses, so a key a
 * processor takes can never collide with one the translator has used or will use.
 */
final class AnswerStreamContext implements StreamContext, IntSupplier {

    private final ShapingContext request;
    private final Ids ids;
    private int nextKey;

    AnswerStreamContext(ShapingContext request, Ids ids) {
        this.request = request;
        this.ids = ids;
    }

    @Override
    public ShapingContext request() {
        return request;
    }

    @Override
    public int newBlockKey() {
        return nextKey++;
    }

    /** The translator's view of the same counter. */
    @Override
    public int getAsInt() {
        return newBlockKey();
    }

    @Override
    public String newToolUseId() {
        return ids.toolUseId();
    }
}
