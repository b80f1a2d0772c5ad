package io.xscore.fault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationCancellation;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records no consumer can ever handle, for every topic the services consume: not JSON, a valid record followed by
 * garbage, a schema violation, and a valid record whose id ends in a newline (an id that {@code ^...$} would pass in
 * a regex dialect where {@code $} matches before a final newline). Each valid-looking record names ids that exist
 * nowhere, so a consumer that wrongly accepted one leaves a visible trace (an evaluation, a stored result, a trained
 * job) that the scenario looks for.
 */
final class PoisonRecords {

    /** @param effectId the evaluation or job id a wrongly accepted record would have created something under */
    record Poison(String topic, String variant, String key, String value, String effectId) {
    }

    /** Which services consume each topic (and so must each dead-letter each poison record once). */
    static final Map<String, List<String>> CONSUMERS = Map.of(
            Topics.EVALUATION_REQUESTS, List.of("gateway"),
            Topics.TRAINING_JOBS, List.of("trainer-service"),
            Topics.TRAINING_PROGRESS, List.of("gateway"),
            Topics.TRAINING_RESULTS, List.of("gateway", "scoring-service"),
            Topics.EVALUATION_PLANS, List.of("scoring-service"),
            Topics.SCORES, List.of("gateway"),
            Topics.EVALUATION_CANCELLATIONS, List.of("trainer-service"));

    private PoisonRecords() {
    }

    static String fakeJobId(String tag, String variant) {
        return Sha256.hex("poison/" + tag + "/" + variant).substring(0, 32);
    }

    static List<Poison> all(String tag) {
        List<Poison> out = new ArrayList<>();
        for (String topic : List.of(Topics.EVALUATION_REQUESTS, Topics.TRAINING_JOBS, Topics.TRAINING_PROGRESS,
                Topics.TRAINING_RESULTS, Topics.EVALUATION_PLANS, Topics.SCORES, Topics.EVALUATION_CANCELLATIONS)) {
            for (String variant : List.of("not-json", "trailing-garbage", "schema-violation", "id-trailing-newline")) {
                String evaluationId = "poison-" + tag + "-" + topic.substring("xscore.".length()) + "-" + variant;
                String jobId = fakeJobId(tag, topic + "/" + variant);
                String idField = idField(topic);
                if (variant.equals("id-trailing-newline") && idField == null) {
                    continue; // a score set has no pattern-checked id (see the report)
                }
                String valid = valid(topic, evaluationId, jobId);
                String value = switch (variant) {
                    case "not-json" -> "\u0000\u0001 definitely <not> JSON {" + evaluationId;
                    case "trailing-garbage" -> valid + " }garbage{\"x\":1}";
                    case "schema-violation" -> {
                        ObjectNode node = (ObjectNode) tree(valid);
                        node.put("schemaVersion", 99);
                        node.put("unexpectedField", "surprise");
                        yield node.toString();
                    }
                    default -> withNewline(valid, idField);
                };
                String key = topic.equals(Topics.EVALUATION_REQUESTS) || topic.equals(Topics.EVALUATION_PLANS)
                        || topic.equals(Topics.SCORES) || topic.equals(Topics.EVALUATION_CANCELLATIONS)
                        ? evaluationId : jobId;
                String effect = topic.equals(Topics.EVALUATION_REQUESTS) || topic.equals(Topics.EVALUATION_PLANS)
                        || topic.equals(Topics.SCORES) ? evaluationId : jobId;
                out.add(new Poison(topic, variant, key, value, effect));
            }
        }
        return out;
    }

    /** The field that carries the pattern-checked id: jobId, the plan's first job, the cancellation's first job. */
    static String idField(String topic) {
        return switch (topic) {
            case Topics.EVALUATION_REQUESTS -> "evaluationId";
            case Topics.TRAINING_JOBS, Topics.TRAINING_PROGRESS, Topics.TRAINING_RESULTS -> "jobId";
            case Topics.EVALUATION_PLANS -> "jobs[0].jobId";
            case Topics.EVALUATION_CANCELLATIONS -> "jobIds[0]";
            default -> null;
        };
    }

    private static String withNewline(String valid, String field) {
        ObjectNode node = (ObjectNode) tree(valid);
        switch (field) {
            case "jobs[0].jobId" -> {
                ObjectNode job = (ObjectNode) node.path("jobs").get(0);
                job.put("jobId", job.path("jobId").asText() + "\n");
            }
            case "jobIds[0]" -> {
                com.fasterxml.jackson.databind.node.ArrayNode ids = (com.fasterxml.jackson.databind.node.ArrayNode)
                        node.path("jobIds");
                String first = ids.get(0).asText();
                ids.set(0, node.textNode(first + "\n"));
            }
            default -> node.put(field, node.path(field).asText() + "\n");
        }
        return node.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, Integer> OVERRIDES = Map.of("epochs", 2, "trainSubset", 64, "testSubset", 32);

    /** A record that passes the topic's schema (checked by {@link MessageCodec#encode}). */
    static String valid(String topic, String evaluationId, String jobId) {
        ProtocolSpec quick = Protocols.resolve("quick", OVERRIDES);
        Instant now = Instant.now();
        Object record = switch (topic) {
            case Topics.EVALUATION_REQUESTS -> new EvaluationRequest(EvaluationRequest.SCHEMA_VERSION, evaluationId,
                    List.of("convmixer-16-1"), List.of("synthetic-shapes"), List.of(7001L), "quick", OVERRIDES,
                    "fault-tests", now);
            case Topics.TRAINING_JOBS -> new TrainingJob(TrainingJob.SCHEMA_VERSION, evaluationId, jobId,
                    "convmixer-16-1", "synthetic-shapes", 7001, quick, now);
            case Topics.TRAINING_PROGRESS -> new TrainingProgress(TrainingProgress.SCHEMA_VERSION, evaluationId, jobId,
                    "convmixer-16-1", "synthetic-shapes", 7001, "quick", TrainingProgress.Kind.STARTED, 0, 2, null,
                    null, null, null, null, null, "fault-tests", now);
            case Topics.TRAINING_RESULTS -> new TrainingResult(TrainingResult.SCHEMA_VERSION, evaluationId, jobId,
                    "convmixer-16-1", "synthetic-shapes", 7001, "quick", false, TrainingResult.Status.FAILED, null,
                    null, null, null, 1.0, null, null, null, null, "fault-tests", "poison record", quick, now);
            case Topics.EVALUATION_PLANS -> new EvaluationPlan(EvaluationPlan.SCHEMA_VERSION, evaluationId, "quick",
                    false, List.of("convmixer-16-1"), List.of("synthetic-shapes"), List.of(7001L),
                    List.of(new EvaluationPlan.PlannedJob(jobId, "convmixer-16-1", "synthetic-shapes", 7001, false)),
                    now);
            case Topics.SCORES -> new ScoreSet(ScoreSet.SCHEMA_VERSION, evaluationId, "quick", false, "recomputed", 0.5,
                    "sample", List.of("synthetic-shapes"), List.of(), false, "fault-tests", now);
            case Topics.EVALUATION_CANCELLATIONS -> new EvaluationCancellation(EvaluationCancellation.SCHEMA_VERSION,
                    evaluationId, "poison", now, List.of(jobId));
            default -> throw new IllegalArgumentException(topic);
        };
        return MessageCodec.encode(record);
    }
}
