package io.xscore.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "xscore.gateway")
public interface GatewayConfig {

    /** Largest models × datasets × seeds one evaluation may ask for. */
    @WithDefault("2000")
    int maxJobsPerEvaluation();

    /** Largest request body accepted by POST /api/v1/evaluations, in bytes. */
    @WithDefault("65536")
    int maxRequestBytes();

    /** How long a REST submission waits for Kafka to acknowledge the request before answering 503. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** How often the server-sent event stream of an evaluation checks for changes. */
    @WithDefault("1s")
    Duration eventInterval();

    /** The scoring service, whose public read endpoints (leaderboard, scores, xScore calculator) the gateway exposes. */
    @WithDefault("http://127.0.0.1:8081")
    String scoringServiceUrl();

    /** How long the gateway waits for the scoring service on a proxied call. */
    @WithDefault("30s")
    Duration scoringTimeout();
}
