package io.xscore.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * W3C trace context (issue 14) where the connectors cannot carry it by themselves: on an outgoing message (the Kafka
 * connector starts its producer span from the message's {@link TracingMetadata}, else from whatever context is
 * current on the thread that finally sends it, which for an emitter is not the caller's), around the handling of an
 * incoming one, and through a stored {@code traceparent} string (the gateway's outbox publishes later, on a scheduler).
 * Without an OpenTelemetry SDK (no OTLP endpoint configured) every context is invalid and all of this does nothing.
 */
public final class TraceContexts {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContexts() {
    }

    /** Work run inside a span; may throw what the caller's work throws. */
    @FunctionalInterface
    public interface SpanWork<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} with {@code span} current, records a failure on the span (exception event, status ERROR) and
     * ends the span: the one way the services wrap planning, a training job and scoring in their spans.
     */
    public static <T, E extends Exception> T within(Span span, SpanWork<T, E> work) throws E {
        try (Scope scope = span.makeCurrent()) {
            return work.run();
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /** The message with the caller's trace context attached, when there is one. */
    public static <T> Message<T> withCurrent(Message<T> message) {
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid()) {
            return message;
        }
        return message.addMetadata(TracingMetadata.withCurrent(current));
    }

    /** Makes an incoming message's trace context (the connector's consumer span) current; close the scope after. */
    public static Scope enter(Message<?> message) {
        return TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .filter(c -> Span.fromContext(c).getSpanContext().isValid()).map(Context::makeCurrent)
                .orElse(Scope.noop());
    }

    /** The current context as W3C headers ({@code traceparent}, maybe {@code tracestate}); empty without one. */
    public static Map<String, String> currentHeaders() {
        Map<String, String> headers = new HashMap<>();
        if (Span.current().getSpanContext().isValid()) {
            W3C.inject(Context.current(), headers, Map::put);
        }
        return headers;
    }

    /** The current context's {@code traceparent}, or null. */
    public static String currentTraceparent() {
        return currentHeaders().get("traceparent");
    }

    /** The context W3C headers describe (root when they carry none). */
    public static Context fromHeaders(Map<String, String> headers) {
        return W3C.extract(Context.root(), headers == null ? Map.of() : headers, MAP_GETTER);
    }

    /** The context a stored {@code traceparent} describes (root for null). */
    public static Context fromTraceparent(String traceparent) {
        return traceparent == null ? Context.root() : fromHeaders(Map.of("traceparent", traceparent));
    }
}
