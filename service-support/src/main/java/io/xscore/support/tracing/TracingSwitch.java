package io.xscore.support.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured ({@code quarkus.otel.exporter.otlp.endpoint} or
 * {@code quarkus.otel.exporter.otlp.traces.endpoint}, e.g. {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}): Quarkus
 * defaults the exporter to {@code localhost:4317} and would export (and log failures) there.
 *
 * <p>The services sample with {@code traceidratio} (build time, application.properties); this sets its runtime
 * argument {@code quarkus.otel.traces.sampler.arg}: 1.0 with an endpoint (every trace), 0.0 without (no span is
 * sampled, whatever an incoming {@code traceparent} says: nothing is exported, no connection is attempted, and the
 * Prometheus output carries no exemplars). {@code quarkus.otel.sdk.disabled} is no switch for this: the SDK it
 * leaves still records every span. The source's ordinal is below {@code application.properties}, so an explicit
 * setting wins; the extension's own defaults do not count as a configured endpoint.
 */
public class TracingSwitch implements ConfigSourceFactory {

    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean configured = ENDPOINTS.stream().map(context::getValue).anyMatch(TracingSwitch::set);
        // Both ways, not only "off": Quarkus records the build's value of a runtime property as its default.
        return List.of(new PropertiesConfigSource(Map.of("quarkus.otel.traces.sampler.arg", configured ? "1.0" : "0.0"),
                "xscore-tracing-switch", 150));
    }

    private static boolean set(ConfigValue v) {
        return v != null && v.getValue() != null && !v.getValue().isBlank() && v.getConfigSourceOrdinal() > 100
                && !String.valueOf(v.getConfigSourceName()).toLowerCase().contains("default");
    }
}
