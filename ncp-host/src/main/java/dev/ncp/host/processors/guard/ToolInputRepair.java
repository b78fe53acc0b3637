package dev.ncp.host.processors.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every tool_use input a JSON object the tool's schema accepts. A tool block's {@code input_json_delta}s are
 * held until the block stops, then read whole ({@link ArgumentRepair}) and typed by the tool's
 * {@code input_schema} ({@link SchemaCoercion}): input that needed nothing goes out in the very deltas it came in;
 * input that was repaired or retyped goes out as one delta holding the new JSON; input nothing can read goes out as
 * {@code {"_raw_arguments": "<the text>"}}, so the tool answers with an error the model can read rather than
 * running with {@code {}}. The deltas of a block therefore always concatenate to exactly one JSON object.
 *
 * <p>Holding costs the client nothing it could use: a client runs a tool only once its block has stopped. What it
 * costs is the live preview of long arguments (a file being written shows up whole at the end), and memory of one
 * call's arguments per answer, which the answer holds anyway.
 */
final class ToolInputRepair implements StreamProcessor {

    /** The field an unreadable argument text is handed to the tool in. */
    static final String RAW_ARGUMENTS = "_raw_arguments";

    private final ObjectMapper json;
    private final GuardEvents events;
    private final ArgumentRepair repair = new ArgumentRepair();
    private final SchemaCoercion coercion = new SchemaCoercion();

    ToolInputRepair(ObjectMapper json, GuardEvents events) {
        this.json = json;
        this.events = events;
    }

    @Override
    public String name() {
        return "guard-tool-input";
    }

    @Override
    public int order() {
        return SAFETY + 20;
    }

    @Override
    public Stage open(StreamContext context) {
        var schemas = new HashMap<String, Map<String, Object>>();
        context.request().tools().forEach((upstream, schema) -> schemas.put(context.clientToolName(upstream), schema));
        return new RepairStage(schemas);
    }

    private final class RepairStage implements Stage {

        private record Held(String tool, List<String> pieces) {
        }

        private final Map<String, Map<String, Object>> schemas;
        /** Tool blocks started and not stopped, by key. */
        private final Map<Integer, Held> held = new LinkedHashMap<>();

        RepairStage(Map<String, Map<String, Object>> schemas) {
            this.schemas = schemas;
        }

        @Override
        public void onEvent(StreamEvent event, Emitter next) {
            switch (event) {
                case ContentBlockStart s when s.block() instanceof ToolUseBlock tool -> {
                    held.put(s.index(), new Held(tool.name(), new ArrayList<>()));
                    next.emit(s);
                }
                case ContentBlockDelta d when held.containsKey(d.index()) && d.delta() instanceof InputJsonDelta j ->
                        held.get(d.index()).pieces().add(j.partialJson());
                case ContentBlockStop s when held.containsKey(s.index()) -> {
                    release(s.index(), held.remove(s.index()), next);
                    next.emit(s);
                }
                case StreamEvent.MessageDelta d when d.stopReason() != null -> endOfAnswer(d, next);
                case StreamEvent.MessageStop m -> endOfAnswer(m, next);
                case StreamEvent.Error e -> endOfAnswer(e, next);
                default -> next.emit(event);
            }
        }

        @Override
        public void onComplete(Emitter next) {
            releaseAll(next);
        }

        /** The answer ends (or fails) with a tool block still open: its input goes out first. */
        private void endOfAnswer(StreamEvent event, Emitter next) {
            releaseAll(next);
            next.emit(event);
        }

        private void releaseAll(Emitter next) {
            held.forEach((key, call) -> release(key, call, next));
            held.clear();
        }

        private void release(int key, Held call, Emitter next) {
            String text = String.join("", call.pieces());
            if (text.isBlank()) {
                next.emit(new ContentBlockDelta(key, new InputJsonDelta("{}"))); // a call without arguments
                return;
            }
            ObjectNode input;
            boolean changed;
            switch (repair.read(text)) {
                case ArgumentRepair.WellFormed w -> {
                    input = w.input();
                    changed = false;
                }
                case ArgumentRepair.Repaired r -> {
                    input = r.input();
                    changed = true;
                    events.intervened(new GuardIntervention(GuardKind.ARGS_REPAIRED, call.tool(),
                            String.join(", ", r.fixes())));
                }
                case ArgumentRepair.Unreadable u -> {
                    events.intervened(new GuardIntervention(GuardKind.ARGS_UNREPAIRABLE, call.tool(),
                            text.length() + " characters passed as " + RAW_ARGUMENTS));
                    next.emit(new ContentBlockDelta(key, new InputJsonDelta(write(
                            json.createObjectNode().put(RAW_ARGUMENTS, text)))));
                    return;
                }
            }
            int coerced = coercion.coerce(input, schemas.get(call.tool()));
            if (coerced > 0) {
                events.intervened(new GuardIntervention(GuardKind.ARGS_COERCED, call.tool(),
                        coerced + (coerced == 1 ? " value" : " values") + " typed by the schema"));
            }
            if (changed || coerced > 0) {
                next.emit(new ContentBlockDelta(key, new InputJsonDelta(write(input))));
            } else {
                call.pieces().forEach(piece -> next.emit(new ContentBlockDelta(key, new InputJsonDelta(piece))));
            }
        }

        private String write(ObjectNode input) {
            try {
                return json.writeValueAsString(input);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
