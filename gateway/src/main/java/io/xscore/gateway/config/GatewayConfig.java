package io.xscore.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "xscore.gateway")
public interface GatewayConfig {

    /** Largest models × datasets × seeds one evaluation may ask for. */
    @WithDefault("2000")
    int maxJobsPerEvaluation();

    /** Largest request body accepted by POST /api/v1/evaluations, in bytes. */
    @WithDefault("65536")
    int maxRequestBytes();

    /**
     * How long a REST submission or cancellation waits for Kafka to acknowledge its record. It is stored first, so
     * if the broker does not answer in time the call still succeeds and the outbox relay publishes the record later.
     */
    @WithDefault("5s")
    Duration publishTimeout();

    /** How often the server-sent event stream of an evaluation checks for changes. */
    @WithDefault("1s")
    Duration eventInterval();

    /**
     * The scoring service, whose public read endpoints (leaderboard, scores, xScore calculator) the gateway exposes and
     * whose stored results the reconciler reads: the URL of the REST clients {@code scoring-proxy} and {@code scoring}
     * (their time-outs are {@code quarkus.rest-client.<key>.connect-timeout} and {@code read-timeout}).
     */
    @WithDefault("http://127.0.0.1:8081")
    String scoringServiceUrl();

    /**
     * The dataset service, which the planner asks for each dataset's content digest (part of every job id), and asks
     * to prepare a dataset not prepared yet (REST client {@code datasets}, with time-out and retry).
     */
    @WithDefault("http://127.0.0.1:8082")
    String datasetServiceUrl();

    /**
     * The trainer service (in Kubernetes its Service: any trainer answers the same), whose model catalog
     * ({@code GET /api/v1/models}, {@code /api/v1/models/elements}) the gateway passes through: the URL of the REST
     * client {@code trainer-proxy}. The dataset service's read endpoints go through the REST client
     * {@code datasets-proxy} at {@link #datasetServiceUrl()}.
     */
    @WithDefault("http://127.0.0.1:8083")
    String trainerServiceUrl();

    /**
     * How often evaluations waiting for a dataset's content digest (being prepared, or the dataset service
     * unreachable) are checked again; once every digest is known, their request goes back to the planner.
     */
    @WithDefault("5s")
    Duration datasetWaitInterval();

    /**
     * How often the outbox relay publishes the evaluation requests and cancellations that were stored but not yet
     * acknowledged by the broker (a submission during a broker outage is accepted and published when it is back).
     */
    @WithDefault("5s")
    Duration outboxInterval();

    /** How often the reconciler re-derives stuck jobs and score sets from the scoring service. */
    @WithDefault("30s")
    Duration reconcileInterval();

    /**
     * How long a job may go without news (progress or result) before the reconciler asks the scoring service for
     * its result, and how long a finished evaluation may wait for its complete score set.
     */
    @WithDefault("60s")
    Duration reconcileAfter();

    /** An accepted evaluation not planned after this long has its request published again (the planner de-duplicates). */
    @WithDefault("3m")
    Duration replanAfter();

    /** How the planner estimates a job's cost (docs/scheduling.md). */
    Cost cost();

    /** How often the pool gauges (jobs queued, jobs in progress) are counted in the database. */
    @WithDefault("15s")
    Duration poolMetricsInterval();

    /** What one caller (a token's subject) may have in flight at once; a submission beyond it gets 429. */
    Limits limits();

    interface Limits {

        /** Evaluations not finished (accepted, waiting, planned, running, cancelling). 0: no limit. */
        @WithDefault("20")
        int evaluationsInFlightPerCaller();

        /**
         * Jobs queued or running for the caller's unfinished evaluations, counting the new request's whole grid
         * (models × datasets × seeds, before reuse is known). 0: no limit. At least {@code max-jobs-per-evaluation},
         * or the largest evaluation allowed could never be accepted.
         */
        @WithDefault("4000")
        int jobsInFlightPerCaller();

        /**
         * How many of a caller's newest evaluations without a complete score set are looked at to count what is in
         * flight: bounds the cost of the check for a caller with many failed evaluations (older ones are not counted).
         */
        @WithDefault("200")
        int scan();
    }

    interface Cost {

        /**
         * Training MACs per second by device name: the reference rates that turn a job's estimated training MACs into
         * estimated seconds. Rough figures (±3×), see docs/scheduling.md.
         */
        Map<String, Double> macsPerSecond();

        /** The device whose rate gives the estimated seconds; no seconds when it has no rate. */
        @WithDefault("cpu")
        String referenceDevice();
    }
}
