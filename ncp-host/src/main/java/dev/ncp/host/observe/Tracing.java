package dev.ncp.host.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Traces exported over OTLP with the OpenTelemetry SDK, configured the standard way: every {@code OTEL_*} setting
 * (environment, config file or flag) is handed to the SDK's autoconfiguration — {@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL}, {@code OTEL_SERVICE_NAME}, {@code OTEL_TRACES_SAMPLER}… Off (no SDK, no
 * exporter thread) unless an OTLP endpoint is set.
 *
 * <p>Off or on, a client's W3C {@code traceparent} reaches the upstream: continued by ncp's own spans when on,
 * passed on untouched when off.
 */
public final class Tracing implements AutoCloseable {

    static final String SCOPE = "dev.ncp.host";
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("ncp.request_id");

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
    };

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk == null ? null : sdk.getTracer(SCOPE);
    }

    /** No spans; client trace headers still go on to the upstream. */
    public static Tracing off() {
        return new Tracing(null);
    }

    /** Tracing as {@code settings} (ncp's raw settings, {@code OTEL_*} among them) configure it. */
    public static Tracing fromSettings(Map<String, String> settings) {
        boolean endpoint = present(settings, "OTEL_EXPORTER_OTLP_ENDPOINT")
                || present(settings, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (!endpoint || "true".equalsIgnoreCase(settings.getOrDefault("OTEL_SDK_DISABLED", ""))) {
            return off();
        }
        Map<String, String> properties = new HashMap<>();
        // ncp exports traces; its metrics are Prometheus's (/metrics) and its logs the access log.
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        properties.put("otel.service.name", "ncp");
        settings.forEach((name, value) -> {
            if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .disableShutdownHook() // ncp closes it in order, after the last request's span ended
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk);
    }

    private static boolean present(Map<String, String> settings, String name) {
        String value = settings.get(name);
        return value != null && !value.isBlank();
    }

    public boolean enabled() {
        return sdk != null;
    }

    /**
     * One Messages API request's spans, the server span starting when the request arrived.
     *
     * @param headers the request's headers, names lower-case ({@code traceparent}, {@code tracestate})
     */
    public RequestSpans begin(String requestId, String principal, long arrivedNanos, Map<String, String> headers) {
        if (sdk == null) {
            return RequestSpans.passThrough(headers);
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
        return RequestSpans.start(tracer, parent, requestId, principal, arrivedNanos);
    }

    /** Exports what is still buffered, then stops the exporter. */
    @Override
    public void close() {
        if (sdk != null) {
            CompletableResultCode done = sdk.shutdown();
            done.join(10, TimeUnit.SECONDS);
        }
    }
}
