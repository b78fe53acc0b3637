package dev.ncp.plugin.toolcall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several syntaxes scanned at once: one scanner finds whichever start comes first, and the syntax that owns that
 * start reads the call. Their starts must differ.
 */
final class AnyOfSyntax implements ToolCallSyntax {

    private final Map<String, ToolCallSyntax> byStart = new LinkedHashMap<>();
    private final List<String> strayTokens = new ArrayList<>();

    AnyOfSyntax(List<ToolCallSyntax> syntaxes) {
        for (ToolCallSyntax syntax : syntaxes) {
            for (String start : syntax.callStarts()) {
                if (byStart.put(start, syntax) != null) {
                    throw new IllegalArgumentException("two syntaxes start with " + start);
                }
            }
            strayTokens.addAll(syntax.strayTokens());
        }
    }

    @Override
    public List<String> callStarts() {
        return List.copyOf(byStart.keySet());
    }

    @Override
    public List<String> strayTokens() {
        return List.copyOf(strayTokens);
    }

    @Override
    public boolean startIsToken(String start) {
        return byStart.get(start).startIsToken(start);
    }

    @Override
    public CallReader reader(String start, ToolCatalog tools) {
        return byStart.get(start).reader(start, tools);
    }
}
