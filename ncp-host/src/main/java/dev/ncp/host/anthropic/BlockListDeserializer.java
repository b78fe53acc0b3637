package dev.ncp.host.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Anthropic's "string or list of blocks" content: a JSON string becomes one text block, an array is read as
 * blocks. Reading through the same parser keeps Jackson's path, so a bad block deep inside reports
 * {@code messages.3.content.0...}.
 */
final class BlockListDeserializer extends JsonDeserializer<List<ContentBlock>> {

    @Override
    public List<ContentBlock> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return List.of(new ContentBlock.Text(p.getText()));
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return (List<ContentBlock>) ctxt.handleUnexpectedToken(List.class, p.currentToken(), p,
                    "expected a string or an array of content blocks");
        }
        JavaType blockType = ctxt.constructType(ContentBlock.class);
        var deserializer = ctxt.findRootValueDeserializer(blockType);
        var blocks = new ArrayList<ContentBlock>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            blocks.add(p.currentToken() == JsonToken.VALUE_NULL ? null
                    : readBlock(p, ctxt, deserializer, blocks, index));
            index++;
        }
        return blocks;
    }

    private static ContentBlock readBlock(JsonParser p, DeserializationContext ctxt, JsonDeserializer<Object> d,
            List<ContentBlock> blocks, int index) throws IOException {
        try {
            return (ContentBlock) d.deserialize(p, ctxt);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw com.fasterxml.jackson.databind.JsonMappingException.wrapWithPath(e, blocks, index);
        }
    }
}
