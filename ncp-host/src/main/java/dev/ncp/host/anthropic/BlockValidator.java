package dev.ncp.host.anthropic;

import static dev.ncp.host.anthropic.MessagesRequestValidator.fail;

import java.util.List;
import java.util.Set;

/**
 * Checks content blocks the way Anthropic does: required fields present, sources well formed, each block type in a
 * role that may carry it. Every failure names the block's path, e.g. {@code messages.3.content.0.source.media_type}.
 */
final class BlockValidator {

    static final Set<String> IMAGE_MEDIA_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    void validateMessage(InputMessage message, String path) {
        if (message == null) {
            throw fail(path, "Input should be a valid dictionary");
        }
        String role = message.role();
        if (role == null) {
            throw fail(path + ".role", "Field required");
        }
        if (!role.equals(InputMessage.USER) && !role.equals(InputMessage.ASSISTANT)
                && !role.equals(InputMessage.SYSTEM)) {
            throw fail(path + ".role", "Input should be 'user', 'assistant' or 'system' (got '" + role + "')");
        }
        if (message.content() == null) {
            throw fail(path + ".content", "Field required");
        }
        validateBlocks(message.content(), path + ".content", role);
    }

    void validateBlocks(List<ContentBlock> blocks, String path, String role) {
        for (int i = 0; i < blocks.size(); i++) {
            validateBlock(blocks.get(i), path + "." + i, role);
        }
    }

    private void validateBlock(ContentBlock block, String path, String role) {
        if (block == null) {
            throw fail(path, "Input should be a valid dictionary");
        }
        checkRole(block, path, role);
        switch (block) {
            case ContentBlock.Text t -> require(t.text(), path + ".text");
            case ContentBlock.Image i -> validateImageSource(i.source(), path + ".source");
            case ContentBlock.Document d -> validateDocumentSource(d.source(), path + ".source");
            case ContentBlock.ToolUse u -> validateToolUse(u, path);
            case ContentBlock.ToolResult r -> {
                require(r.toolUseId(), path + ".tool_use_id");
                if (r.content() != null) {
                    validateBlocks(r.content(), path + ".content", InputMessage.USER);
                }
            }
            case ContentBlock.Thinking t -> require(t.thinking(), path + ".thinking");
            case ContentBlock.RedactedThinking r -> require(r.data(), path + ".data");
            case ContentBlock.Unknown u -> require(u.type(), path + ".type");
        }
    }

    private static void checkRole(ContentBlock block, String path, String role) {
        if (role.equals(InputMessage.SYSTEM) && !(block instanceof ContentBlock.Text)) {
            throw fail(path + ".type", "system messages may only contain text blocks (got '" + block.type() + "')");
        }
        if (block instanceof ContentBlock.ToolUse && !role.equals(InputMessage.ASSISTANT)) {
            throw fail(path, "tool_use blocks may only appear in assistant messages");
        }
        if (block instanceof ContentBlock.ToolResult && !role.equals(InputMessage.USER)) {
            throw fail(path, "tool_result blocks may only appear in user messages");
        }
    }

    private static void validateToolUse(ContentBlock.ToolUse use, String path) {
        require(use.id(), path + ".id");
        require(use.name(), path + ".name");
        if (use.input() == null) {
            throw fail(path + ".input", "Field required");
        }
        if (!use.input().isObject()) {
            throw fail(path + ".input", "Input should be a valid dictionary (a JSON object)");
        }
    }

    private static void validateImageSource(ContentBlock.Source source, String path) {
        if (source == null) {
            throw fail(path, "Field required");
        }
        switch (sourceType(source, path)) {
            case "base64" -> {
                require(source.mediaType(), path + ".media_type");
                if (!IMAGE_MEDIA_TYPES.contains(source.mediaType())) {
                    throw fail(path + ".media_type", "Input should be 'image/jpeg', 'image/png', 'image/gif' or"
                            + " 'image/webp' (got '" + source.mediaType() + "'); convert the image to one of these");
                }
                require(source.data(), path + ".data");
            }
            case "url" -> require(source.url(), path + ".url");
            case "file" -> throw filesApi(path);
            default -> throw fail(path + ".type", "Input should be 'base64', 'url' or 'file' (got '"
                    + source.type() + "')");
        }
    }

    private void validateDocumentSource(ContentBlock.Source source, String path) {
        if (source == null) {
            throw fail(path, "Field required");
        }
        switch (sourceType(source, path)) {
            case "base64" -> {
                if (!"application/pdf".equals(source.mediaType())) {
                    throw fail(path + ".media_type", "Input should be 'application/pdf' (got '"
                            + source.mediaType() + "')");
                }
                require(source.data(), path + ".data");
            }
            case "text" -> require(source.data(), path + ".data");
            case "url" -> require(source.url(), path + ".url");
            case "content" -> {
                if (source.content() == null) {
                    throw fail(path + ".content", "Field required");
                }
                validateBlocks(source.content(), path + ".content", InputMessage.USER);
            }
            case "file" -> throw filesApi(path);
            default -> throw fail(path + ".type", "Input should be 'base64', 'text', 'url', 'content' or 'file'"
                    + " (got '" + source.type() + "')");
        }
    }

    private static String sourceType(ContentBlock.Source source, String path) {
        require(source.type(), path + ".type");
        return source.type();
    }

    private static RuntimeException filesApi(String path) {
        return fail(path, "file sources (Anthropic Files API) are not supported by ncp; send the content inline"
                + " as base64 or as a url");
    }

    private static void require(Object value, String path) {
        if (value == null) {
            throw fail(path, "Field required");
        }
    }
}
