package dev.ncp.host.http;

import dev.ncp.host.error.ErrorResponses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty answers some requests itself before Javalin sees them: malformed requests (a CR or LF inside a header,
 * a bad request line), header blocks over {@code NCP_MAX_HEADER_KB} (431). This makes those answers Anthropic's error
 * JSON too, with a fixed message per status (never Jetty's reason text, which may quote the request).
 */
public final class JettyErrors extends ErrorHandler {

    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private final ErrorResponses errors;

    public JettyErrors(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    private byte[] body(int status) {
        String message = switch (status) {
            case 431 -> "Request headers too large (NCP_MAX_HEADER_KB).";
            case 413 -> "Request too large.";
            case 400 -> "Malformed HTTP request (bad request line or header, e.g. a CR or LF inside a header value).";
            default -> "The request could not be served (HTTP " + status + ").";
        };
        return errors.body(ErrorResponses.typeForStatus(status), message).getBytes(StandardCharsets.UTF_8);
    }
}
