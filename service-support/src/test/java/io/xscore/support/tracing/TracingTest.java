package io.xscore.support.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.TracingMetadata;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class TracingTest {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void aStoredTraceparentIsRestoredAndWrittenAgain() {
        Context restored = TraceContexts.fromTraceparent(TRACEPARENT);
        assertEquals("0af7651916cd43dd8448eb211c80319c", Span.fromContext(restored).getSpanContext().getTraceId());
        try (Scope scope = restored.makeCurrent()) {
            assertEquals(TRACEPARENT, TraceContexts.currentTraceparent());
        }
        assertNull(TraceContexts.currentTraceparent(), "no trace, no header");
        assertTrue(!Span.fromContext(TraceContexts.fromTraceparent(null)).getSpanContext().isValid());
    }

    @Test
    void anOutgoingMessageCarriesTheCallersContextOnlyWhenThereIsOne() {
        assertTrue(TracingMetadata.fromMessage(TraceContexts.withCurrent(Message.of("x"))).isEmpty());
        SpanContext sc = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope scope = Span.wrap(sc).makeCurrent()) {
            Message<String> m = TraceContexts.withCurrent(Message.of("x"));
            Context carried = TracingMetadata.fromMessage(m).orElseThrow().getCurrentContext();
            assertEquals(sc, Span.fromContext(carried).getSpanContext());
        }
    }

    @Test
    void nothingIsSampledUnlessAnEndpointIsConfigured() {
        assertEquals("0.0", ratio(Map.of()));
        assertEquals("1.0", ratio(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317")));
        assertEquals("1.0", ratio(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://c:4318/v1/traces")));
        assertEquals("0.0", ratio(Map.of("quarkus.otel.exporter.otlp.endpoint", " ")));
        assertEquals("0.5", ratio(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317",
                "quarkus.otel.traces.sampler.arg", "0.5")), "an explicit ratio wins");
    }

    private static String ratio(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new TracingSwitch()).build();
        return config.getRawValue("quarkus.otel.traces.sampler.arg");
    }
}
