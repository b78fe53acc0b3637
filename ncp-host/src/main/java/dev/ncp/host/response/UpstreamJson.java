package dev.ncp.host.response;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How the upstream side configures Jackson. The host builds one mapper at startup and passes it around: mappers are
 * costly to build and thread-safe once configured, and one configuration means requests and chunks are always read
 * and written the same way.
 */
public final class UpstreamJson {

    private UpstreamJson() {
    }

    /** A mapper for OpenAI wire shapes: unknown fields ignored (servers add their own), nulls allowed for numbers. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    /** A reader for stream chunks; create once per mapper and share, it is immutable. */
    public static ObjectReader chunkReader(ObjectMapper mapper) {
        return mapper.readerFor(ChatChunk.class);
    }
}
