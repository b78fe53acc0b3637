package dev.ncp.host.processors.guard;

import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.plugin.toolcall.DeclaredToolNames;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A tool call to a name the request did not declare, which matches exactly one declared tool but for case or
 * {@code -}/{@code _} ({@link DeclaredToolNames}), goes to that tool: {@code bash} becomes {@code Bash}. A call that
 * matches none, or more than one, is passed on as it is: the client answers it with an error result the model can
 * learn from.
 */
final class ToolNameFix implements StreamProcessor {

    private final GuardEvents events;

    ToolNameFix(GuardEvents events) {
        this.events = events;
    }

    @Override
    public String name() {
        return "guard-tool-names";
    }

    @Override
    public int order() {
        return SAFETY + 10;
    }

    @Override
    public Stage open(StreamContext context) {
        Set<String> upstreamNames = context.request().tools().keySet();
        if (upstreamNames.isEmpty()) {
            return null;
        }
        Set<String> clientNames = new HashSet<>();
        upstreamNames.forEach(name -> clientNames.add(context.clientToolName(name)));
        return (event, next) -> {
            if (event instanceof ContentBlockStart s && s.block() instanceof ToolUseBlock tool
                    && !clientNames.contains(tool.name())) {
                // Matched against the names the model was offered, then given back under the client's name.
                Optional<String> meant = DeclaredToolNames.match(tool.name(), upstreamNames)
                        .map(context::clientToolName)
                        .or(() -> DeclaredToolNames.match(tool.name(), clientNames));
                if (meant.isPresent()) {
                    events.intervened(new GuardIntervention(GuardKind.NAME_FIXED, meant.get(),
                            "called as " + tool.name()));
                    next.emit(new ContentBlockStart(s.index(), new ToolUseBlock(tool.id(), meant.get())));
                    return;
                }
            }
            next.emit(event);
        };
    }
}
