package dev.ncp.host.response;

import dev.ncp.api.model.ShapingContext;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.host.anthropic.Ids;
import dev.ncp.host.translate.ToolIdCodec;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * What processors know about one answer. Block keys come from the same counter the translator uses, so a key a
 * processor takes can never collide with one the translator has used or will use.
 */
public final class AnswerStreamContext implements StreamContext, IntSupplier {

    private final ShapingContext request;
    private final Ids ids;
    private final ToolIdCodec toolIds;
    private final UnaryOperator<String> toolNames;
    private int nextKey;

    /** A context whose tool names need no restoring (tests). */
    public AnswerStreamContext(ShapingContext request, Ids ids) {
        this(request, ids, new ToolIdCodec(), UnaryOperator.identity());
    }

    public AnswerStreamContext(ShapingContext request, Ids ids, ToolIdCodec toolIds, UnaryOperator<String> toolNames) {
        this.request = request;
        this.ids = ids;
        this.toolIds = toolIds;
        this.toolNames = toolNames;
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

    @Override
    public String toolUseIdFor(String upstreamId) {
        return toolIds.toClient(upstreamId);
    }

    @Override
    public String clientToolName(String upstreamName) {
        return toolNames.apply(upstreamName);
    }
}
