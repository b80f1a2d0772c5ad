package io.xscore.common.messaging;

import java.util.List;

/**
 * Every Kafka topic of the platform, in one place. Producers and consumers refer to these constants (and the
 * services' application.properties repeat them as channel topics; {@code TopicsTest} keeps both in step).
 */
public final class Topics {
    /** Evaluation requests, from the gateway's REST API or written directly by other services. Key: evaluation id. */
    public static final String EVALUATION_REQUESTS = "xscore.evaluation-requests";
    /** Planned evaluations: which jobs make up an evaluation and which were reused. Key: evaluation id. */
    public static final String EVALUATION_PLANS = "xscore.evaluation-plans";
    /**
     * One record per training job, read by the trainers as a share group. Key: evaluation id (an evaluation's jobs stay
     * on one partition, in the planner's longest-first order).
     */
    public static final String TRAINING_JOBS = "xscore.training-jobs";
    /** Per-epoch progress and heartbeats of running jobs. Key: job id. */
    public static final String TRAINING_PROGRESS = "xscore.training-progress";
    /** Final outcome of a job (succeeded or failed). Key: job id. */
    public static final String TRAINING_RESULTS = "xscore.training-results";
    /** Evaluations cancelled at the gateway; read by every trainer (broadcast). Key: evaluation id. */
    public static final String EVALUATION_CANCELLATIONS = "xscore.evaluation-cancellations";
    /** Score sets computed by the scoring service. Key: evaluation id. */
    public static final String SCORES = "xscore.scores";

    /** Dead-letter topics: one per consuming service and topic, named {@code <topic>.dlq.<consumer>}. */
    public static String deadLetter(String topic, String consumer) {
        return topic + ".dlq." + consumer;
    }

    /** Header SmallRye sets on dead-lettered records. */
    public static final String DEAD_LETTER_REASON_HEADER = "dead-letter-reason";

    public static List<String> all() {
        return List.of(EVALUATION_REQUESTS, EVALUATION_PLANS, EVALUATION_CANCELLATIONS, TRAINING_JOBS, TRAINING_PROGRESS,
                TRAINING_RESULTS, SCORES);
    }

    private Topics() {
    }
}
