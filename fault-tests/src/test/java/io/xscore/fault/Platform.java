package io.xscore.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the scenarios share: submitting and following evaluations through the gateway, and the checks behind
 * "nothing lost, nothing run twice" (gateway view, scoring's stored result, MongoDB, trainer logs, dead-letter topics).
 * Checks add readable problems to a list instead of failing at the first, so a scenario reports everything it saw.
 */
final class Platform {

    static final List<String> TERMINAL = List.of("SUCCEEDED", "FAILED", "COMPLETED_WITH_FAILURES", "CANCELLED");
    /** The trainer's line for a job it trained to the end (TrainingJobService). */
    static final Pattern SUCCEEDED_LINE = Pattern.compile("job ([0-9a-f]{32}) succeeded: ");

    /** Message type of each topic, to tell a valid record from a poison one on a dead-letter topic. */
    static final Map<String, Class<?>> TYPES = Map.of(
            Topics.EVALUATION_REQUESTS, EvaluationRequest.class,
            Topics.EVALUATION_PLANS, EvaluationPlan.class,
            Topics.TRAINING_JOBS, TrainingJob.class,
            Topics.TRAINING_PROGRESS, TrainingProgress.class,
            Topics.TRAINING_RESULTS, TrainingResult.class,
            Topics.EVALUATION_CANCELLATIONS, EvaluationCancellation.class,
            Topics.SCORES, ScoreSet.class);

    final LocalStack stack;
    final KafkaProbe kafka;
    final MongoProbe mongo;

    Platform(LocalStack stack, KafkaProbe kafka, MongoProbe mongo) {
        this.stack = stack;
        this.kafka = kafka;
        this.mongo = mongo;
    }

    String gateway() {
        return stack.url("gateway");
    }

    String scoring() {
        return stack.url("scoring-service");
    }

    // ------------------------------------------------------------------ requests

    /** An evaluation request body with a client-chosen id (idempotent submission, and findable after a 503). */
    static String request(String evaluationId, List<String> models, List<String> datasets, List<Integer> seeds,
            Map<String, Integer> overrides) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("evaluationId", evaluationId);
        ArrayNode m = body.putArray("models");
        models.forEach(m::add);
        ArrayNode d = body.putArray("datasets");
        datasets.forEach(d::add);
        ArrayNode s = body.putArray("seeds");
        seeds.forEach(s::add);
        body.put("protocol", "quick");
        ObjectNode o = body.putObject("overrides");
        overrides.forEach(o::put);
        return body.toString();
    }

    Http.Resp submit(String body) {
        return Http.post(gateway() + "/api/v1/evaluations", body);
    }

    /** Submits and insists on 202. */
    String submitAccepted(String body) {
        Http.Resp r = submit(body);
        if (r.status() != 202) {
            throw new AssertionError("submission not accepted: " + r + "\nrequest: " + body);
        }
        String id = r.json().path("id").asText();
        Timeline.log("submitted %s: 202", id);
        return id;
    }

    /** The gateway's view, or null when it does not answer 200 (404, down, restarting). */
    JsonNode view(String id) {
        Http.Resp r = Http.get(gateway() + "/api/v1/evaluations/" + id);
        return r.status() == 200 ? r.json() : null;
    }

    /** Polls the view until {@code done} holds; tolerant of a gateway that is down or restarting meanwhile. */
    JsonNode awaitView(String id, Predicate<JsonNode> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (true) {
            JsonNode v = view(id);
            if (v != null) {
                last = v;
                if (done.test(v)) {
                    return v;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("evaluation " + id + ": " + what + " not reached in " + timeout
                        + "; last view: " + summary(last) + "\n" + stack.statusReport());
            }
            LocalStack.sleep(Duration.ofMillis(500));
        }
    }

    JsonNode awaitTerminal(String id, Duration timeout) {
        JsonNode v = awaitView(id, x -> TERMINAL.contains(x.path("status").asText()), timeout, "a final state");
        Timeline.log("evaluation %s: %s", id, summary(v));
        return v;
    }

    /** Waits until every evaluation is in a final state (polled together, so waits overlap). */
    Map<String, JsonNode> awaitAllTerminal(List<String> ids, Duration timeout, List<String> problems) {
        Map<String, JsonNode> done = new LinkedHashMap<>();
        Map<String, JsonNode> last = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.size() < ids.size() && System.nanoTime() < deadline) {
            for (String id : ids) {
                if (done.containsKey(id)) {
                    continue;
                }
                JsonNode v = view(id);
                if (v != null) {
                    last.put(id, v);
                    if (TERMINAL.contains(v.path("status").asText())) {
                        done.put(id, v);
                    }
                }
            }
            if (done.size() < ids.size()) {
                LocalStack.sleep(Duration.ofSeconds(1));
            }
        }
        for (String id : ids) {
            if (!done.containsKey(id)) {
                problems.add("evaluation " + id + " not finished in " + timeout + ": " + summary(last.get(id)));
            }
        }
        return done;
    }

    /** Status, job summary and the jobs' states and failure reasons, on one line. */
    static String summary(JsonNode v) {
        if (v == null) {
            return "(never seen)";
        }
        StringBuilder sb = new StringBuilder(v.path("status").asText()).append(' ').append(v.path("summary"));
        for (JsonNode j : v.path("jobs")) {
            sb.append(" | ").append(j.path("model").asText()).append('/').append(j.path("dataset").asText())
                    .append('/').append(j.path("seed").asText()).append(' ').append(j.path("state").asText());
            if (j.hasNonNull("failureReason")) {
                sb.append(" (").append(j.path("failureReason").asText()).append(')');
            }
        }
        sb.append(" | scores complete: ").append(v.path("scores").path("complete").asText("none"));
        return sb.toString();
    }

    JsonNode trainerStatus() {
        Http.Resp r = Http.get(stack.url("trainer-service") + "/api/v1/trainer/status");
        return r.status() == 200 ? r.json() : null;
    }

    /** Waits until the trainer is training a job (at least {@code minEpoch} epochs done); false if not in time. */
    boolean awaitTraining(int minEpoch, Duration timeout) {
        return awaitTraining(minEpoch, timeout, List.of());
    }

    /**
     * Waits until the trainer is training a job (at least {@code minEpoch} epochs done); false if not in time, or
     * as soon as every one of {@code evaluations} (if any are given) has finished.
     */
    boolean awaitTraining(int minEpoch, Duration timeout, List<String> evaluations) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextCheck = 0;
        while (System.nanoTime() < deadline) {
            if (!evaluations.isEmpty() && System.nanoTime() > nextCheck) {
                nextCheck = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                boolean allDone = evaluations.stream().map(this::view)
                        .allMatch(v -> v != null && TERMINAL.contains(v.path("status").asText()));
                if (allDone) {
                    return false;
                }
            }
            JsonNode s = trainerStatus();
            if (s != null && "training".equals(s.path("state").asText()) && s.path("epoch").asInt(0) >= minEpoch) {
                Timeline.log("trainer busy: job %s epoch %s/%s", s.path("jobId").asText(), s.path("epoch").asText(),
                        s.path("epochs").asText());
                return true;
            }
            LocalStack.sleep(Duration.ofMillis(100));
        }
        return false;
    }

    // ------------------------------------------------------------------ checks

    /** Trainer log lines "job <id> succeeded" per job id, over every trainer lifetime. */
    Map<String, Integer> successLines() {
        Map<String, Integer> out = new HashMap<>();
        for (String trainer : stack.trainers()) { // every trainer of the pool, over all its lifetimes
            Matcher m = SUCCEEDED_LINE.matcher(stack.logs.all(trainer));
            while (m.find()) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The trainer's line for a job record that came back after the job finished (answered from its ledger). */
    static final Pattern REDELIVERED_LINE = Pattern.compile("job ([0-9a-f]{32}) finished here before");

    /** Per job id, how often its record came back to the trainer after the job had finished. */
    Map<String, Integer> redeliveries() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (String trainer : stack.trainers()) {
            Matcher m = REDELIVERED_LINE.matcher(stack.logs.all(trainer));
            while (m.find()) {
                out.merge(m.group(1), 1, Integer::sum);
            }
        }
        return out;
    }

    /** Job ids the trainer reported as succeeded more than once (trained twice). */
    List<String> trainedTwice() {
        return successLines().entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).sorted().toList();
    }

    /**
     * The complete check of a finished evaluation: SUCCEEDED with every job succeeded, a complete score set in the
     * gateway and in scoring (same xScores), each job with exactly one stored result whose accuracy the gateway
     * shows, and each job trained exactly once.
     */
    void checkSucceeded(String id, int jobs, int models, List<String> problems) {
        JsonNode v = view(id);
        if (v == null) {
            problems.add(id + ": gateway does not answer 200 for the evaluation: "
                    + Http.get(gateway() + "/api/v1/evaluations/" + id));
            return;
        }
        String where = id + ": ";
        if (!"SUCCEEDED".equals(v.path("status").asText())) {
            problems.add(where + "status " + summary(v));
        }
        if (v.path("summary").path("jobs").asInt() != jobs || v.path("summary").path("succeeded").asInt() != jobs) {
            problems.add(where + "expected " + jobs + " jobs, all succeeded; summary " + v.path("summary"));
        }
        JsonNode scores = v.path("scores");
        if (!scores.path("complete").asBoolean(false)) {
            problems.add(where + "gateway has no complete score set: " + scores);
        } else if (scores.path("scores").size() != models) {
            problems.add(where + "gateway score set has " + scores.path("scores").size() + " models, expected "
                    + models);
        }
        Http.Resp scoringScores = Http.get(scoring() + "/api/v1/evaluations/" + id + "/scores");
        if (scoringScores.status() != 200) {
            problems.add(where + "scoring has no score set: " + scoringScores);
        } else {
            JsonNode s = scoringScores.json();
            if (!s.path("complete").asBoolean(false)) {
                problems.add(where + "scoring's score set is not complete: " + s);
            }
            Map<String, String> gatewayX = xscores(scores);
            Map<String, String> scoringX = xscores(s);
            if (!gatewayX.equals(scoringX)) {
                problems.add(where + "gateway and scoring disagree on xScores: gateway " + gatewayX + ", scoring "
                        + scoringX);
            }
        }
        Map<String, Integer> lines = successLines();
        for (JsonNode job : v.path("jobs")) {
            String jobId = job.path("jobId").asText();
            String j = where + "job " + jobId + " (" + job.path("model").asText() + "/" + job.path("dataset").asText()
                    + "/" + job.path("seed").asText() + "): ";
            Http.Resp result = Http.get(scoring() + "/api/v1/results/" + jobId);
            boolean succeeded = false;
            if (result.status() != 200) {
                problems.add(j + "scoring has no result: " + result);
            } else {
                JsonNode r = result.json();
                succeeded = "SUCCEEDED".equals(r.path("status").asText());
                if (!succeeded) {
                    problems.add(j + "scoring's result is " + r.path("status").asText() + ": "
                            + r.path("failureReason").asText());
                } else if (!job.path("finalTestAccuracy").isNumber() || !r.path("testAccuracy").isNumber()
                        || job.path("finalTestAccuracy").asDouble() != r.path("testAccuracy").asDouble()) {
                    problems.add(j + "gateway finalTestAccuracy " + job.path("finalTestAccuracy")
                            + " != scoring testAccuracy " + r.path("testAccuracy"));
                }
            }
            long stored = mongo.resultsOf(jobId);
            if (stored != 1) {
                problems.add(j + stored + " result documents in xscore-scoring.results (expected exactly 1)");
            }
            int trained = lines.getOrDefault(jobId, 0);
            if (trained > 1 || (succeeded && trained != 1)) {
                problems.add(j + "trainer logged 'succeeded' " + trained + " times (expected exactly once)");
            }
        }
    }

    private static Map<String, String> xscores(JsonNode scoreSet) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode s : scoreSet.path("scores")) {
            out.put(s.path("model").asText(), s.path("xscore").asText("null"));
        }
        return out;
    }

    // ------------------------------------------------------------------ dead letters

    /** A record on a dead-letter topic, identified by where it came from. */
    record DeadLetter(String dlq, String sourceTopic, int sourcePartition, long sourceOffset, String reason,
                      String key, String value, long timestamp, int dlqPartition, long dlqOffset) {

        String id() {
            return dlq + "@" + dlqPartition + ":" + dlqOffset;
        }
    }

    List<String> deadLetterTopics() {
        return kafka.topics().stream().filter(t -> t.contains(".dlq.")).sorted().toList();
    }

    List<DeadLetter> deadLetters() {
        List<DeadLetter> out = new ArrayList<>();
        for (String dlq : deadLetterTopics()) {
            for (ConsumerRecord<String, String> r : kafka.readAll(dlq)) {
                String partition = KafkaProbe.header(r, "dead-letter-partition");
                String offset = KafkaProbe.header(r, "dead-letter-offset");
                out.add(new DeadLetter(dlq, KafkaProbe.header(r, "dead-letter-topic"),
                        partition == null ? -1 : Integer.parseInt(partition.trim()),
                        offset == null ? -1 : Long.parseLong(offset.trim()),
                        KafkaProbe.header(r, Topics.DEAD_LETTER_REASON_HEADER), r.key(), r.value(), r.timestamp(),
                        r.partition(), r.offset()));
            }
        }
        return out;
    }

    Set<String> deadLetterIds() {
        Set<String> ids = new HashSet<>();
        deadLetters().forEach(d -> ids.add(d.id()));
        return ids;
    }

    /**
     * Dead-lettered records (beyond those in {@code before}) that are valid messages of their topic: a valid record
     * must never be dead-lettered because a dependency was down or a process died.
     */
    List<String> validDeadLettersSince(Set<String> before) {
        List<String> out = new ArrayList<>();
        for (DeadLetter d : deadLetters()) {
            if (before.contains(d.id())) {
                continue;
            }
            String topic = d.dlq().substring(0, d.dlq().indexOf(".dlq."));
            Class<?> type = TYPES.get(topic);
            if (type == null) {
                continue;
            }
            try {
                MessageCodec.decode(d.value(), type);
                out.add("valid " + type.getSimpleName() + " dead-lettered on " + d.dlq() + " (key " + d.key()
                        + ", reason: " + d.reason() + "): " + abbreviate(d.value(), 300));
            } catch (RuntimeException invalid) {
                // a poison record: where it belongs
            }
        }
        return out;
    }

    static String abbreviate(String s, int max) {
        return s == null ? "null" : s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** A service's counter value in Prometheus text format (sum over the series matching every label given). */
    static double metric(String metricsText, String name, String... labels) {
        double sum = 0;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                sum += Double.parseDouble(value);
            }
        }
        return sum;
    }
}
