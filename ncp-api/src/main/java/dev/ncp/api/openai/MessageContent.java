package dev.ncp.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** OpenAI message content: a plain string, or a list of typed parts (text, images and files). */
public sealed interface MessageContent {

    /** Plain text content, written as a JSON string. */
    record Text(@JsonValue String text) implements MessageContent {
    }

    /** Multi-part content, written as a JSON array. */
    record Parts(@JsonValue List<Part> parts) implements MessageContent {
        public Parts {
            parts = List.copyOf(parts);
        }
    }

    /** One part of multi-part content. */
    sealed interface Part permits TextPart, ImagePart, FilePart {
    }

    record TextPart(@JsonProperty("text") String text) implements Part {
        @JsonProperty("type")
        public String type() {
            return "text";
        }
    }

    /** An image by URL; base64 images travel as {@code data:} URIs. */
    record ImagePart(@JsonProperty("image_url") ImageUrl imageUrl) implements Part {
        @JsonProperty("type")
        public String type() {
            return "image_url";
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record ImageUrl(@JsonProperty("url") String url, @JsonProperty("detail") String detail) {
        }
    }

    /**
     * A file sent inline, as OpenAI's chat completions take a PDF: {@code {"type":"file","file":{"filename":...,
     * "file_data":"data:application/pdf;base64,..."}}}.
     */
    record FilePart(@JsonProperty("file") File file) implements Part {
        @JsonProperty("type")
        public String type() {
            return "file";
        }

        /** @param fileData a {@code data:} URI holding the file's bytes in base64 */
        public record File(@JsonProperty("filename") String filename, @JsonProperty("file_data") String fileData) {
        }
    }
}
