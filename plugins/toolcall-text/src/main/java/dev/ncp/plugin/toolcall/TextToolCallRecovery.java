package dev.ncp.plugin.toolcall;

import dev.ncp.api.stream.StopReason;
import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns tool calls a model wrote as text into tool_use blocks, for families whose calls sometimes reach the
 * content unparsed. A model adapter switches it on by returning it from {@code streamProcessors}:
 * <pre>{@code
 * return List.of(TextToolCallRecovery.qwenXml());     // <tool_call><function=...>   (Qwen3-Coder)
 * return List.of(TextToolCallRecovery.kimiTokens());  // <|tool_call_begin|>...      (Kimi K2)
 * }</pre>
 *
 * <p>It runs after the think-tag processor (so calls inside reasoning stay reasoning) and rewrites text blocks only:
 * text before a call stays a text block, each call becomes a tool_use block (the client's tool name, a
 * {@code toolu_} id, the input as {@code input_json_delta}s that concatenate to exactly its JSON), text after it a
 * new text block. Qwen's XML calls stream: the tool_use starts once the function name is read and each parameter
 * goes out as its {@code </parameter>} closes; Kimi's calls go out whole, once complete. Calls are recovered only for tools the request declared. When a call was recovered and the
 * upstream said the answer simply ended ({@code end_turn}, {@code stop_sequence}), the stop reason becomes
 * {@code tool_use}, as the client must now run the tools; {@code max_tokens} and {@code refusal} are kept.
 *
 * <p>Streaming-safe: see {@link TextToolCallScanner} for what is held back and why.
 */
public final class TextToolCallRecovery implements StreamProcessor {

    /** After the think-tag processor ({@code TEXT}), before tool processing ({@code TOOL}). */
    public static final int ORDER = TEXT + 50;

    private final String name;
    private final ToolCallSyntax syntax;
    private final int order;
    private final Consumer<String> onRecovered;

    private TextToolCallRecovery(String name, ToolCallSyntax syntax) {
        this(name, syntax, ORDER, tool -> { });
    }

    private TextToolCallRecovery(String name, ToolCallSyntax syntax, int order, Consumer<String> onRecovered) {
        this.name = name;
        this.syntax = syntax;
        this.order = order;
        this.onRecovered = onRecovered;
    }

    /** Qwen3-Coder's XML calls: {@code <tool_call><function=NAME><parameter=P>value</parameter>...}. */
    public static TextToolCallRecovery qwenXml() {
        return new TextToolCallRecovery("toolcall-text-qwen-xml", new QwenXmlSyntax());
    }

    /** Kimi K2's calls in special tokens, and the stray special tokens it leaves in text. */
    public static TextToolCallRecovery kimiTokens() {
        return new TextToolCallRecovery("toolcall-text-kimi-tokens", new KimiTokenSyntax());
    }

    /**
     * The formats open models write calls in when no server parser catches them, all at once: Hermes
     * {@code <tool_call>{json}</tool_call>}, Nemotron {@code <TOOLCALL>[...]</TOOLCALL>}, Llama
     * {@code <|python_tag|>{...}}, Mistral {@code [TOOL_CALLS][...]} ({@link JsonCallSyntax}) and DeepSeek V4's DSML
     * ({@link DsmlSyntax}). A tool name that differs from a declared one only in case or {@code -}/{@code _} is
     * read as that tool ({@link DeclaredToolNames}).
     */
    public static TextToolCallRecovery openModelFormats() {
        return new TextToolCallRecovery("toolcall-text-open-models", new AnyOfSyntax(List.of(
                new JsonCallSyntax(JsonCallSyntax.HERMES), new JsonCallSyntax(JsonCallSyntax.NEMOTRON),
                new JsonCallSyntax(JsonCallSyntax.LLAMA), new JsonCallSyntax(JsonCallSyntax.MISTRAL),
                new DsmlSyntax())));
    }

    /** The same recovery at another place in the chain (a host's guard runs it after the family processors). */
    public TextToolCallRecovery at(int newOrder) {
        return new TextToolCallRecovery(name, syntax, newOrder, onRecovered);
    }

    /** The same recovery telling {@code listener} the (upstream) tool name of every call it recovers. */
    public TextToolCallRecovery reporting(Consumer<String> listener) {
        return new TextToolCallRecovery(name, syntax, order, listener);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Stage open(StreamContext context) {
        var tools = new ToolCatalog(context.request().tools());
        if (tools.isEmpty() && syntax.strayTokens().isEmpty()) {
            return null; // nothing to call and nothing to clean
        }
        return new RecoveryStage(context, new TextToolCallScanner(syntax, tools), onRecovered);
    }

    private static final class RecoveryStage implements Stage {

        private final StreamContext context;
        private final TextToolCallScanner scanner;
        /** The upstream text block being rewritten, or -1. */
        private int inKey = -1;
        /** The text block this stage has open downstream, or -1. */
        private int outKey = -1;
        /** The tool_use block this stage has open downstream, or -1. */
        private int callKey = -1;
        private final Consumer<String> onRecovered;
        private int recovered;

        RecoveryStage(StreamContext context, TextToolCallScanner scanner, Consumer<String> onRecovered) {
            this.context = context;
            this.scanner = scanner;
            this.onRecovered = onRecovered;
        }

        @Override
        public void onEvent(StreamEvent event, Emitter next) {
            if (inKey >= 0) {
                if (event instanceof ContentBlockDelta d && d.index() == inKey && d.delta() instanceof TextDelta t) {
                    scanner.feed(t.text(), output(next));
                    return;
                }
                boolean itsStop = event instanceof ContentBlockStop s && s.index() == inKey;
                endInputBlock(next); // its stop, or an event that arrived before the stop
                if (itsStop) {
                    return;
                }
            }
            switch (event) {
                case ContentBlockStart s when s.block() instanceof TextBlock -> inKey = s.index();
                case MessageDelta d when recovered > 0
                        && (d.stopReason() == StopReason.END_TURN || d.stopReason() == StopReason.STOP_SEQUENCE) ->
                        next.emit(new MessageDelta(StopReason.TOOL_USE, null, d.usage()));
                default -> next.emit(event);
            }
        }

        @Override
        public void onComplete(Emitter next) {
            if (inKey >= 0) {
                endInputBlock(next);
            }
        }

        private void endInputBlock(Emitter next) {
            inKey = -1;
            scanner.finish(output(next));
            closeText(next);
        }

        private TextToolCallScanner.Output output(Emitter next) {
            return new TextToolCallScanner.Output() {
                @Override
                public void text(String text) {
                    if (text.isEmpty()) {
                        return;
                    }
                    if (outKey < 0) {
                        outKey = context.newBlockKey();
                        next.emit(new ContentBlockStart(outKey, new TextBlock()));
                    }
                    next.emit(new ContentBlockDelta(outKey, new TextDelta(text)));
                }

                @Override
                public void callStart(String tool, String upstreamId) {
                    closeText(next);
                    callKey = context.newBlockKey();
                    onRecovered.accept(tool); // before the call's events, which later links may act on
                    String id = upstreamId == null ? context.newToolUseId() : context.toolUseIdFor(upstreamId);
                    next.emit(new ContentBlockStart(callKey, new ToolUseBlock(id, context.clientToolName(tool))));
                }

                @Override
                public void callInput(String json) {
                    next.emit(new ContentBlockDelta(callKey, new InputJsonDelta(json)));
                }

                @Override
                public void callEnd() {
                    next.emit(new ContentBlockStop(callKey));
                    callKey = -1;
                    recovered++;
                }
            };
        }

        private void closeText(Emitter next) {
            if (outKey >= 0) {
                next.emit(new ContentBlockStop(outKey));
                outKey = -1;
            }
        }
    }
}
