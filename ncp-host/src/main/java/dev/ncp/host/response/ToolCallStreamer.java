package dev.ncp.host.response;

import dev.ncp.api.stream.StreamEvent.ContentBlockDelta;
import dev.ncp.api.stream.StreamEvent.ContentBlockStart;
import dev.ncp.api.stream.StreamEvent.ContentBlockStop;
import dev.ncp.api.stream.StreamEvent.InputJsonDelta;
import dev.ncp.api.stream.StreamEvent.ToolUseBlock;
import dev.ncp.api.stream.StreamProcessor.Emitter;
import dev.ncp.host.response.ChatChunk.ToolCallDelta;
import dev.ncp.host.translate.ToolIdCodec;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Turns the upstream's tool-call fragments (tied together by {@code index}) into tool_use blocks.
 *
 * <p>Clients accumulate one block at a time, so blocks must not interleave even when the upstream interleaves the
 * fragments of parallel calls. The scheme: one call is <em>live</em> — its block is open and each fragment goes out
 * as its own {@code input_json_delta} the moment it arrives. Fragments of other calls are buffered. When the live
 * call's JSON is complete (its top-level object closed) and another call is waiting, the live block is closed and
 * the lowest waiting index becomes live: its buffer goes out as one delta, then its fragments stream. Whatever is
 * still waiting at the end of the answer is flushed whole, in index order. Every block's deltas therefore
 * concatenate to exactly that call's arguments; an empty argument string becomes {@code {}}.
 *
 * <p>A block starts once the call's name is known and either its id is known or its arguments have begun.
 */
final class ToolCallStreamer {

    private enum State { WAITING, LIVE, CLOSED }

    private static final class Call {
        final int index;
        String upstreamId;
        final StringBuilder name = new StringBuilder();
        final StringBuilder buffered = new StringBuilder();
        final JsonCompletionTracker json = new JsonCompletionTracker();
        State state = State.WAITING;
        int key;
        boolean wroteNonBlank;

        Call(int index) {
            this.index = index;
        }

        boolean startable() {
            return !name.isEmpty() && (upstreamId != null || !buffered.isEmpty());
        }
    }

    private final UnaryOperator<String> toolNames;
    private final ToolIdCodec toolIds;
    private final Supplier<String> freshToolUseIds;
    private final IntSupplier blockKeys;
    private final TreeMap<Integer, Call> calls = new TreeMap<>();
    private Call live;
    private int lastIndex = -1;

    ToolCallStreamer(UnaryOperator<String> toolNames, ToolIdCodec toolIds, Supplier<String> freshToolUseIds,
                     IntSupplier blockKeys) {
        this.toolNames = toolNames;
        this.toolIds = toolIds;
        this.freshToolUseIds = freshToolUseIds;
        this.blockKeys = blockKeys;
    }

    /** Whether any tool call was seen (started or waiting): the answer then stops for tool use. */
    boolean anyCall() {
        return calls.values().stream().anyMatch(c -> c.state != State.WAITING || c.startable());
    }

    boolean hasLiveBlock() {
        return live != null;
    }

    /**
     * Takes one fragment. {@code closeOtherBlock} is run before a tool block opens, so a text or thinking block
     * still open is closed first.
     */
    void onFragment(ToolCallDelta fragment, Runnable closeOtherBlock, Emitter out) {
        Call call = calls.computeIfAbsent(indexOf(fragment), Call::new);
        String args = fragment.function() == null ? null : fragment.function().arguments();
        if (call.state == State.CLOSED) {
            if (args != null && !args.isBlank()) {
                throw new UpstreamDecodeException("upstream sent more arguments for tool call " + call.index
                        + " after its JSON was complete");
            }
            return;
        }
        if (fragment.id() != null && !fragment.id().isEmpty() && call.upstreamId == null) {
            call.upstreamId = fragment.id();
        }
        if (fragment.function() != null && fragment.function().name() != null) {
            call.name.append(fragment.function().name());
        }
        if (args != null && !args.isEmpty()) {
            call.json.feed(args);
            if (call.state == State.LIVE) {
                write(call, args, out);
            } else {
                call.buffered.append(args);
            }
        }
        if (call.state == State.WAITING && live == null && call.startable()) {
            closeOtherBlock.run();
            goLive(call, out);
        }
        handOver(out);
    }

    /** Closes the live block (another kind of content follows); waiting calls stay waiting. */
    void closeLive(Emitter out) {
        if (live != null) {
            close(live, out);
            live = null;
        }
    }

    /** The answer is finished: closes the live block and flushes every waiting call whole, in index order. */
    void finish(Emitter out) {
        closeLive(out);
        for (Call call : calls.values()) {
            if (call.state == State.WAITING && !call.name.isEmpty()) {
                open(call, out);
                close(call, out);
            }
        }
    }

    /** The answer broke off: closes the live block; waiting calls were never shown and are dropped. */
    void abandon(Emitter out) {
        closeLive(out);
    }

    private int indexOf(ToolCallDelta fragment) {
        if (fragment.index() != null) {
            lastIndex = fragment.index();
        } else if (fragment.id() != null || lastIndex < 0) {
            // Servers that omit the index: a fragment with an id we have not seen starts a new call.
            lastIndex = calls.values().stream()
                    .filter(c -> fragment.id() != null && fragment.id().equals(c.upstreamId))
                    .mapToInt(c -> c.index)
                    .findFirst()
                    .orElse(calls.isEmpty() ? 0 : calls.lastKey() + 1);
        }
        return lastIndex;
    }

    private void handOver(Emitter out) {
        while (live != null && live.json.complete()) {
            Call next = firstWaiting();
            if (next == null) {
                return;
            }
            closeLive(out);
            goLive(next, out);
        }
    }

    private Call firstWaiting() {
        for (Call call : calls.values()) {
            if (call.state == State.WAITING && call.startable()) {
                return call;
            }
        }
        return null;
    }

    private void goLive(Call call, Emitter out) {
        open(call, out);
        live = call;
    }

    private void open(Call call, Emitter out) {
        call.key = blockKeys.getAsInt();
        call.state = State.LIVE;
        String id = call.upstreamId == null ? freshToolUseIds.get() : toolIds.toClient(call.upstreamId);
        out.emit(new ContentBlockStart(call.key, new ToolUseBlock(id, toolNames.apply(call.name.toString()))));
        if (!call.buffered.isEmpty()) {
            write(call, call.buffered.toString(), out);
            call.buffered.setLength(0);
            call.buffered.trimToSize();
        }
    }

    private void write(Call call, String json, Emitter out) {
        call.wroteNonBlank |= !json.isBlank();
        out.emit(new ContentBlockDelta(call.key, new InputJsonDelta(json)));
    }

    private void close(Call call, Emitter out) {
        if (!call.wroteNonBlank) {
            write(call, "{}", out); // a call without arguments still has an input object
        }
        call.state = State.CLOSED;
        out.emit(new ContentBlockStop(call.key));
    }
}
