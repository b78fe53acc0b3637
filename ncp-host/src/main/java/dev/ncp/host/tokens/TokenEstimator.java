package dev.ncp.host.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.ncp.host.anthropic.ContentBlock;
import dev.ncp.host.anthropic.InputMessage;
import dev.ncp.host.anthropic.MessagesRequest;
import dev.ncp.host.anthropic.PdfNames;
import dev.ncp.host.anthropic.ToolDefinition;
import dev.ncp.host.anthropic.UnknownBlockText;
import dev.ncp.host.media.PdfAsText;
import dev.ncp.host.media.PdfText;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Estimates a request's input tokens with a real BPE tokenizer (cl100k_base, via jtokkit) plus small framing
 * overheads. It answers {@code count_tokens} and fills {@code message_start.usage.input_tokens}, so both agree.
 *
 * <p>Accuracy: the figure targets the upstream model's own count. Llama 3's tokenizer is cl100k_base plus 28k
 * tokens and Qwen's is a similar byte-level BPE, so on English and code cl100k lands within a few percent of them;
 * Claude's tokenizer would typically count 10–20% more. Images follow Anthropic's rule (width × height / 750 after
 * scaling into 1568 px, at most ~1,600); images of unknown size count a flat 1,600. A PDF counts as the text ncp
 * sends in its place to a model without PDF input (its pages' text and notes, {@link PdfAsText}), so count_tokens
 * and message_start agree with what is sent; for a model that reads PDFs itself the same figure stands in for the
 * upstream's own, unknowable, count. Thinking from earlier turns counts nothing (Anthropic strips it, and ncp
 * does not forward it).
 *
 * <p>Thread-safe. Loading the encoding takes a few hundred milliseconds (in the background): build one per process.
 */
public final class TokenEstimator {

    static final int PER_REQUEST = 3;
    static final int PER_MESSAGE = 4;
    static final int PER_TOOL_CALL = 6;
    static final int TOOLS_PREAMBLE = 100;
    static final int PER_TOOL = 8;
    static final int ANTHROPIC_DEFINED_TOOL = 300;
    static final int FLAT_IMAGE = 1600;
    private static final int MAX_IMAGE_EDGE = 1568;

    /**
     * Agents resend the same large texts every turn (Claude Code: a 28k-character system prompt and ~40k of tool
     * schemas, and a history of short tool results and sentences that grows every turn), and BPE costs about 1 ms
     * per 30 kB. Counts of texts from this size up are remembered, bounded by total characters; hashing a string is
     * far cheaper than tokenizing it. (At 1,024 the short texts of a Claude Code request were still tokenized on
     * every turn: 15 % of ncp's CPU per request in a load run's profile, docs/performance.md.)
     */
    static final int CACHED_MIN_CHARS = 128;
    private static final long CACHE_MAX_CHARS = 16L * 1024 * 1024;
    /** What an entry costs beyond its characters (cache node, String header), in characters, for the bound. */
    private static final int ENTRY_OVERHEAD_CHARS = 64;
    private static final long TOOL_CACHE_MAX_TOKENS = 512L * 1024;

    private final Cache<String, Integer> largeTextCounts = Caffeine.newBuilder()
            .maximumWeight(CACHE_MAX_CHARS)
            .weigher((String text, Integer count) -> text.length() + ENTRY_OVERHEAD_CHARS)
            .build();
    /**
     * Counts of custom tools, keyed by what is counted of them as parsed: an agent resends the same tools every
     * turn, and comparing two parsed schemas is far cheaper than writing one out as JSON to count it, and than
     * tokenizing the tool's short name (together 4 % of ncp's CPU in a load run's profile). Schemas are never
     * modified once parsed (the cleaner copies them). Bounded by tokens, a stand-in for the tools' size: room for a
     * few dozen Claude Code tool sets.
     */
    private final Cache<CustomTool, Integer> customToolCounts = Caffeine.newBuilder()
            .maximumWeight(TOOL_CACHE_MAX_TOKENS)
            .weigher((CustomTool tool, Integer count) -> count + ENTRY_OVERHEAD_CHARS)
            .build();
    /**
     * Loading cl100k's 100k merge ranks takes 0.1–0.3 s at start-up: it runs on its own thread, beside the rest of
     * start-up (the HTTP server, plugins, storage), and the first count waits for it only if it is still loading.
     */
    private final CompletableFuture<Encoding> encoding;
    private final ObjectMapper json;
    private final UnknownBlockText unknown = new UnknownBlockText();
    private final TokenBounds bounds = new TokenBounds(largeTextCounts::getIfPresent,
            customToolCounts::getIfPresent, this::unknownBytesAtMost);
    /** Exact counts run beside the request's translation, one virtual thread each (they are CPU, not waiting). */
    private final Executor counting = task -> Thread.ofVirtual().name("ncp-token-count").start(task);

    private final PdfText pdfs;

    public TokenEstimator(ObjectMapper json) {
        this(json, new PdfText());
    }

    /** @param pdfs reads the PDFs' text; shared with the translation, which sends what is counted here */
    public TokenEstimator(ObjectMapper json, PdfText pdfs) {
        this.pdfs = pdfs;
        this.encoding = CompletableFuture.supplyAsync(
                () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE),
                load -> Thread.ofPlatform().daemon().name("ncp-tokenizer-load").start(load));
        this.json = json;
    }

    /** The PDF text reader whose output is counted here, for the translation to send the same. */
    public PdfText pdfText() {
        return pdfs;
    }

    /** The estimated input tokens of {@code request} (system, messages, tools). */
    public int estimate(MessagesRequest request) {
        PdfNames names = PdfNames.of(request);
        long total = PER_REQUEST + blocks(request.system(), "system", names);
        if (!request.system().isEmpty()) {
            total += PER_MESSAGE;
        }
        List<InputMessage> messages = request.messages();
        for (int m = 0; m < messages.size(); m++) {
            total += PER_MESSAGE + blocks(messages.get(m).content(), "messages." + m + ".content", names);
        }
        total += tools(request.tools());
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * The input tokens of {@code request}: its bounds now (microseconds), the exact {@link #estimate} counted on a
     * virtual thread, started here, unless the bounds already meet (every text's count remembered).
     */
    public InputTokens start(MessagesRequest request) {
        TokenBounds.Range range = bounds.of(request);
        int lower = (int) Math.min(Integer.MAX_VALUE, range.lower());
        int upper = (int) Math.min(Integer.MAX_VALUE, range.upper());
        if (lower == upper) {
            return InputTokens.known(lower);
        }
        return new InputTokens(lower, upper, CompletableFuture.supplyAsync(() -> estimate(request), counting));
    }

    /** The cl100k_base token count of {@code text}; special-token strings count as plain text. */
    public int countText(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return text.length() < CACHED_MIN_CHARS ? encoding.join().countTokensOrdinary(text)
                : largeTextCounts.get(text, t -> encoding.join().countTokensOrdinary(t));
    }

    private long blocks(List<ContentBlock> blocks, String path, PdfNames names) {
        long total = 0;
        for (int i = 0; i < blocks.size(); i++) {
            total += block(blocks.get(i), path + "." + i, names);
        }
        return total;
    }

    private long block(ContentBlock block, String path, PdfNames names) {
        return switch (block) {
            case ContentBlock.Text t -> countText(t.text());
            case ContentBlock.Image i -> image(i.source());
            case ContentBlock.Document d -> document(d, path, names);
            case ContentBlock.ToolUse u -> PER_TOOL_CALL + countText(u.name()) + countText(u.input().toString());
            case ContentBlock.ToolResult r ->
                    PER_TOOL_CALL + (r.content() == null ? 0 : blocks(r.content(), path + ".content", names));
            case ContentBlock.Thinking t -> 0;
            case ContentBlock.RedactedThinking r -> 0;
            case ContentBlock.Unknown u -> countText(unknown.describe(u));
        };
    }

    /** At least the count of an unknown block's text, which is null (counts nothing) for a block that is dropped. */
    private int unknownBytesAtMost(ContentBlock.Unknown block) {
        String text = unknown.describe(block);
        return text == null ? 0 : (int) Math.min(Integer.MAX_VALUE, TokenBounds.utf8BytesAtMost(text));
    }

    private long document(ContentBlock.Document d, String path, PdfNames names) {
        if ("base64".equals(d.source().type())) { // exactly the text sent in the PDF's place
            String text = PdfAsText.render(names.nameOf(d), pdfs.extract(d.source().data()));
            return countText(d.context() == null ? text : "[Context: " + d.context() + "]\n" + text);
        }
        long header = 3 + countText(d.title()) + countText(d.context());
        return header + switch (d.source().type()) {
            case "text" -> countText(d.source().data());
            case "content" -> blocks(d.source().content(), path + ".source.content", names);
            default -> FLAT_IMAGE; // by URL: refused before any upstream call, counted like an image of unknown size
        };
    }

    /** Anthropic's image rule: scale the long edge into 1568 px, then width × height / 750, capped near 1,600. */
    static int image(ContentBlock.Source source) {
        ImageDimensions.Size size = "base64".equals(source.type()) ? ImageDimensions.of(source.data()) : null;
        if (size == null || size.width() <= 0 || size.height() <= 0) {
            return FLAT_IMAGE;
        }
        double scale = Math.min(1.0, (double) MAX_IMAGE_EDGE / Math.max(size.width(), size.height()));
        double pixels = size.width() * scale * size.height() * scale;
        return (int) Math.min(FLAT_IMAGE, Math.ceil(pixels / 750));
    }

    private long tools(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return 0;
        }
        long total = TOOLS_PREAMBLE;
        for (ToolDefinition tool : tools) {
            total += PER_TOOL + (tool.custom()
                    ? customToolCounts.get(new CustomTool(tool.name(), tool.description(), tool.inputSchema()),
                            this::count)
                    : countText(tool.name()) + countText(tool.description()) + ANTHROPIC_DEFINED_TOOL);
        }
        return total;
    }

    /** What the estimate counts of a custom tool: its name, its description and its schema written as JSON. */
    record CustomTool(String name, String description, Map<String, Object> schema) {
    }

    private int count(CustomTool tool) {
        String schemaJson;
        try {
            schemaJson = json.writeValueAsString(tool.schema());
        } catch (JsonProcessingException e) {
            schemaJson = "";
        }
        // The schema's JSON is not kept in the text cache: this cache already remembers its count.
        return countText(tool.name()) + countText(tool.description())
                + (schemaJson.isEmpty() ? 0 : encoding.join().countTokensOrdinary(schemaJson));
    }
}
