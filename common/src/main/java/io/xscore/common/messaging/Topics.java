package io.xscore.common.messaging;

import java.util.List;

/**
 * Every Kafka topic of the platform, in one place. Producers and consumers refer to these constants (and the
 * services' application.properties repeat them as channel topics; {@code TopicsTest} keeps both in step).
 */
public final class Topics {
    /**
     * Evaluation requests the gateway publishes (its REST API's outbox; re-planning). In Kubernetes only the gateway's
     * Kafka user may write it, so the requester a record names is the REST caller the gateway authenticated. Other
     * services write to {@link #evaluationRequestsFrom(String)} instead. Key: evaluation id.
     */
    public static final String EVALUATION_REQUESTS = "xscore.evaluation-requests";
    /** The prefix of the per-producer request topics: {@code xscore.evaluation-requests.from.<Kafka principal>}. */
    public static final String EVALUATION_REQUESTS_FROM = EVALUATION_REQUESTS + ".from.";
    /**
     * The planner's subscription (a regular expression, matched against whole topic names): the requests topic and
     * every per-producer requests topic, not the dead-letter topic.
     */
    public static final String EVALUATION_REQUESTS_PATTERN = "xscore\\.evaluation-requests(\\.from\\.[A-Za-z0-9._-]+)?";
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

    /**
     * The requests topic of one producer: {@code xscore.evaluation-requests.from.<principal>}, where {@code principal}
     * is the producer's Kafka user name (Strimzi KafkaUser), whose ACL alone may write it. The gateway attributes every
     * request read from it to {@code kafka:<principal>}, whatever the record says.
     */
    public static String evaluationRequestsFrom(String principal) {
        if (principal == null || !principal.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a Kafka principal for a topic name: letters, digits, '.', '_', '-'");
        }
        return EVALUATION_REQUESTS_FROM + principal;
    }

    /** The producer a per-producer requests topic belongs to; empty for any other topic. */
    public static java.util.Optional<String> producerOf(String topic) {
        return topic != null && topic.startsWith(EVALUATION_REQUESTS_FROM)
                && topic.length() > EVALUATION_REQUESTS_FROM.length()
                ? java.util.Optional.of(topic.substring(EVALUATION_REQUESTS_FROM.length()))
                : java.util.Optional.empty();
    }

    /** Subscriptions by pattern, each with the topic it stands for (whose dead-letter topic it uses). */
    public static java.util.Map<String, String> patterns() {
        return java.util.Map.of(EVALUATION_REQUESTS_PATTERN, EVALUATION_REQUESTS);
    }

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
