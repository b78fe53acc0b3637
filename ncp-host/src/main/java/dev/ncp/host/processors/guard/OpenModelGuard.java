package dev.ncp.host.processors.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.config.GuardSettings;
import dev.ncp.plugin.toolcall.TextToolCallRecovery;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's links of the response chain, in the SAFETY slot, for every model: after the family processors (think
 * tags, a family's own text calls) and before the finalizer. In order:
 * <ol>
 *   <li>tool calls written as text in the open models' formats become tool_use blocks
 *       ({@link TextToolCallRecovery#openModelFormats()}, {@code NCP_GUARD_TEXT_CALLS});</li>
 *   <li>a near-miss tool name becomes the declared tool ({@link ToolNameFix}, {@code NCP_GUARD_TOOL_NAMES});</li>
 *   <li>tool inputs are repaired and typed by their schema ({@link ToolInputRepair},
 *       {@code NCP_GUARD_ARGS_REPAIR}).</li>
 * </ol>
 * So a call recovered from text, or renamed, has its input checked too. Every change is logged at debug and reported
 * to the request's {@link GuardEvents}.
 */
public final class OpenModelGuard {

    private static final Logger log = LoggerFactory.getLogger(OpenModelGuard.class);

    private final GuardSettings settings;
    private final ObjectMapper json;

    public OpenModelGuard(GuardSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    public GuardSettings settings() {
        return settings;
    }

    /** The guard's processors for one answer, reporting to {@code events}. */
    public List<StreamProcessor> processors(GuardEvents events) {
        GuardEvents logged = logged(events);
        var links = new ArrayList<StreamProcessor>(3);
        if (settings.textCalls()) {
            links.add(TextToolCallRecovery.openModelFormats().at(StreamProcessor.SAFETY).reporting(tool ->
                    logged.intervened(new GuardIntervention(GuardKind.TEXT_CALL, tool, "call written as text"))));
        }
        if (settings.toolNames()) {
            links.add(new ToolNameFix(logged));
        }
        if (settings.argsRepair()) {
            links.add(new ToolInputRepair(json, logged));
        }
        return links;
    }

    /** {@code events}, each intervention logged at debug first. */
    static GuardEvents logged(GuardEvents events) {
        return intervention -> {
            log.debug("guard {}: {} ({})", intervention.kind().wireName(), intervention.tool(),
                    intervention.detail());
            events.intervened(intervention);
        };
    }
}
