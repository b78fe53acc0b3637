package dev.ncp.host.processors;

import dev.ncp.api.stream.StreamContext;
import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.MessageDelta;
import dev.ncp.api.stream.StreamEvent.SignatureDelta;
import dev.ncp.api.stream.StreamEvent.TextBlock;
import dev.ncp.api.stream.StreamEvent.TextDelta;
import dev.ncp.api.stream.StreamEvent.ThinkingBlock;
import dev.ncp.api.stream.StreamEvent.ThinkingDelta;
import dev.ncp.api.stream.StreamEvent;
import dev.ncp.api.stream.StreamProcessor;
import dev.ncp.host.security.ThinkingSigner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last link: makes the event stream one a client accepts whatever the processors before it did.
 * <ul>
 *   <li>Block keys become indexes 0, 1, 2... in the order blocks start.</li>
 *   <li>A text or thinking block with nothing but whitespace is dropped: Anthropic never sends one, and sending
 *       one back in the next request's history is an error there ("text content blocks must contain
 *       non-whitespace text"). Its start, and any leading whitespace, are held until its first real content;
 *       empty deltas are dropped.</li>
 *   <li>A thinking block without a signature gets one (HMAC of its text, computed as it streams) right before
 *       its stop.</li>
 *   <li>With {@code thinking.display: "omitted"} a thinking block goes out as Anthropic sends it then: its start,
 *       no thinking deltas, and a signature that carries the text sealed ({@link ThinkingSigner#startSealed()}),
 *       so the reasoning can come back with the block in the next request.</li>
 *   <li>Every open block is stopped, in start order, before the final message_delta or an error; nothing follows
 *       message_stop or an error.</li>
 * </ul>
 * Deltas and stops for keys that never started are dropped rather than sent to a client that would reject them.
 */
public final class BlockFinalizer implements StreamProcessor {

    private final ThinkingSigner signer;

    public BlockFinalizer(ThinkingSigner signer) {
        this.signer = signer;
    }

    @Override
    public String name() {
        return "block-finalizer";
    }

    @Override
    public int order() {
        return FINALIZER;
    }

    @Override
    public Stage open(StreamContext context) {
        return new FinalizerStage(context.request().thinking().omitted());
    }

    private final class FinalizerStage implements Stage {

        private static final class Block {
            final ContentBlockStart start;
            int index = -1;
            ThinkingSigner.Signature signature;
            ThinkingSigner.Sealing sealing;
            boolean signed;
            /** Whitespace a text or thinking block got before its first real content. */
            final StringBuilder heldBlank = new StringBuilder();

            Block(ContentBlockStart start) {
                this.start = start;
            }
        }

        /** Blocks started and not yet stopped, by key, in start order. */
        private final Map<Integer, Block> open = new LinkedHashMap<>();
        private int nextIndex;
        private boolean ended;
        private final boolean omitted;

        FinalizerStage(boolean omitted) {
            this.omitted = omitted;
        }

        @Override
        public void onEvent(StreamEvent event, Emitter next) {
            if (ended) {
                return;
            }
            switch (event) {
                case ContentBlockStart s -> {
                    var block = new Block(s);
                    open.put(s.index(), block);
                    if (!(s.block() instanceof TextBlock || s.block() instanceof ThinkingBlock)) {
                        show(block, next);
                    }
                }
                case ContentBlockDelta d -> delta(d, next);
                case ContentBlockStop s -> {
                    Block block = open.remove(s.index());
                    if (block != null && block.index >= 0) {
                        stop(block, next);
                    }
                }
                case MessageDelta d when d.stopReason() == null -> next.emit(d); // a usage snapshot
                case MessageDelta d -> {
                    stopAll(next);
                    next.emit(d);
                }
                case StreamEvent.MessageStop m -> {
                    stopAll(next);
                    ended = true;
                    next.emit(m);
                }
                case StreamEvent.Error e -> {
                    stopAll(next);
                    ended = true;
                    next.emit(e);
                }
                default -> next.emit(event);
            }
        }

        @Override
        public void onComplete(Emitter next) {
            if (!ended) {
                stopAll(next);
            }
        }

        private void delta(ContentBlockDelta d, Emitter next) {
            Block block = open.get(d.index());
            StreamEvent.Delta delta = d.delta();
            String text = textOf(delta);
            if (block == null || (text != null && text.isEmpty())) {
                return;
            }
            if (delta instanceof ThinkingDelta t) {
                if (omitted) {
                    if (block.sealing == null) {
                        block.sealing = signer.startSealed();
                    }
                    block.sealing.update(t.thinking());
                } else {
                    if (block.signature == null) {
                        block.signature = signer.start();
                    }
                    block.signature.update(t.thinking());
                }
            }
            if (block.index < 0) {
                if (text == null) {
                    return; // a signature for a thinking block with nothing in it yet
                }
                if (text.isBlank()) {
                    block.heldBlank.append(text);
                    return;
                }
                if (!block.heldBlank.isEmpty()) {
                    String joined = block.heldBlank + text;
                    delta = delta instanceof TextDelta ? new TextDelta(joined) : new ThinkingDelta(joined);
                }
                show(block, next);
            }
            if (omitted && delta instanceof ThinkingDelta) {
                return; // the text travels sealed in the signature
            }
            block.signed |= delta instanceof SignatureDelta;
            next.emit(new ContentBlockDelta(block.index, delta));
        }

        private static String textOf(StreamEvent.Delta delta) {
            return switch (delta) {
                case TextDelta t -> t.text();
                case ThinkingDelta t -> t.thinking();
                default -> null;
            };
        }

        private void show(Block block, Emitter next) {
            block.index = nextIndex++;
            next.emit(new ContentBlockStart(block.index, block.start.block()));
        }

        private void stop(Block block, Emitter next) {
            if (block.start.block() instanceof ThinkingBlock && !block.signed) {
                String signature = block.sealing != null ? block.sealing.finish()
                        : block.signature == null ? signer.sign("") : block.signature.finish();
                next.emit(new ContentBlockDelta(block.index, new SignatureDelta(signature)));
            }
            next.emit(new ContentBlockStop(block.index));
        }

        private void stopAll(Emitter next) {
            for (Block block : open.values()) {
                if (block.index >= 0) {
                    stop(block, next);
                }
            }
            open.clear();
        }
    }
}
