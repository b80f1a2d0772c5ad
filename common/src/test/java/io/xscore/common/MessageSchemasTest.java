package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.Json;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.EvaluationPlan;
import io.xscore.common.messaging.EvaluationRequest;
import io.xscore.common.messaging.RobustnessBoard;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.ScoreSet;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.common.protocol.JobIds;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message type round-trips through JSON and its schema; invalid records are rejected with a reason. */
class MessageSchemasTest {

    static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
    static final ProtocolSpec QUICK = Protocols.resolve("quick", Map.of("epochs", 2));
    static final String HEX64 = "a".repeat(64);
    static final String JOB = JobIds.jobId("convmixer-64-2", "fashion-mnist", 0,
            JobIds.identity(QUICK, HEX64, HEX64, HEX64));

    static Stream<Object> samples() {
        return Stream.of(
                new EvaluationRequest(1, "ev-1", List.of("convmixer"), List.of("fashion-mnist"), List.of(0L, 1L),
                        "quick", Map.of("epochs", 2), "test", AT),
                new EvaluationRequest(1, null, List.of("convmixer"), List.of("cifar10"), List.of(0L), "paper-v1",
                        null, null, null),
                new io.xscore.common.messaging.EvaluationCancellation(1, "ev-1", "wrong dataset", AT),
                new io.xscore.common.messaging.EvaluationCancellation(1, "ev-2", null, AT),
                new TrainingJob(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, QUICK, AT),
                new TrainingJob(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, QUICK, AT,
                        new io.xscore.common.messaging.JobIdentity(HEX64, HEX64.replace('a', 'b'), HEX64, HEX64),
                        new io.xscore.common.messaging.CostEstimate(1_000_000L, 60_000L, 2, 3.6e11, 12.5)),
                new TrainingProgress(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick",
                        TrainingProgress.Kind.RELEASED, 1, 2, null, null, null, null, null, null, "pod-1", AT,
                        new io.xscore.common.messaging.JobAttempt(2, "pod-1", AT, "epoch 1, batch 40")),
                new TrainingProgress(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick",
                        TrainingProgress.Kind.EPOCH, 1, 2, 1.2, 55.0, 60.5, 1e-3, 300.0, 12.0, "pod-1", AT),
                new TrainingResult(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick", false,
                        TrainingResult.Status.SUCCEEDED, 81.25, List.of(70.0, 81.25), 0.9, 12_345L, 30.5, 250.0,
                        2000, 1000, 32, "pod-1", null, QUICK, AT),
                new TrainingResult(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick", false,
                        TrainingResult.Status.SUCCEEDED, 81.25, List.of(70.0, 81.25), 0.9, 12_345L, 30.5, 250.0,
                        2000, 1000, 32, "pod-1", null, QUICK, AT, TrainingResult.AugmentationRecord.of(
                                "paper/cifar-style: RandomResizedCrop + flip", 1, 1, "epoch 1 not ready")),
                new TrainingResult(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick", false,
                        TrainingResult.Status.SUCCEEDED, 81.25, List.of(70.0, 81.25), 0.9, 12_345L, 30.5, 250.0,
                        2000, 1000, 32, "pod-1", null, QUICK, AT, null).withAttempt(
                                new io.xscore.common.messaging.JobAttempt(3, "pod-2", AT, null),
                                new io.xscore.common.messaging.Provenance("0.1.0", "0.32.0", "2.5.1", null, "cpu()")),
                new TrainingResult(1, "ev-1", JOB, "convmixer-64-2", "nope", 0, "quick", false,
                        TrainingResult.Status.FAILED, null, null, null, null, null, null, null, null, null, "pod-1",
                        "dataset 'nope' is unknown", null, AT),
                new EvaluationPlan(1, "ev-1", "quick", false, List.of("convmixer-64-2"), List.of("fashion-mnist"),
                        List.of(0L), List.of(new EvaluationPlan.PlannedJob(JOB, "convmixer-64-2", "fashion-mnist", 0,
                                false)), AT),
                new ScoreSet(1, "ev-1", "quick", false, "recomputed", 0.5, "sample", List.of("fashion-mnist"),
                        List.of(new ScoreSet.ModelScore("convmixer-64-2",
                                Map.of("fashion-mnist", new ScoreSet.DatasetAccuracy(81.25, 0.0, 1)), 1.0, 0.0, 1.0, 1,
                                null)), true, null, AT),
                new EvaluationRequest(1, "ev-r", List.of("convmixer"), List.of("fashion-mnist"), List.of(0L), "quick",
                        null, null, null, new RobustnessSpec(List.of("pgd", "corruptions"), 200, null, null,
                                new RobustnessSpec.CorruptionSettings(List.of("fog"), null, null), null)),
                new TrainingJob(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, QUICK, AT,
                        new io.xscore.common.messaging.JobIdentity(HEX64, HEX64, HEX64, HEX64, HEX64), null,
                        RESOLVED_SUITES),
                new EvaluationPlan(1, "ev-1", "quick", false, List.of("convmixer-64-2"), List.of("fashion-mnist"),
                        List.of(0L), List.of(new EvaluationPlan.PlannedJob(JOB, "convmixer-64-2", "fashion-mnist", 0,
                                false)), AT, RESOLVED_SUITES),
                new TrainingResult(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, "quick", false,
                        TrainingResult.Status.SUCCEEDED, 81.25, List.of(70.0, 81.25), 0.9, 12_345L, 30.5, 250.0,
                        2000, 1000, 32, "pod-1", null, QUICK, AT, null).withRobustness(new RobustnessReport(
                                RESOLVED_SUITES, 200, "stratified by class, seed 0, 200 of 1000", 80.5, List.of(
                                        RobustnessReport.PerturbedAccuracy.lowResolution(
                                                "lr0fm-16@32/pillow-bicubic-antialias", 61.0, 16),
                                        RobustnessReport.PerturbedAccuracy.corruption(
                                                "defocus_blur/3@cifar (platform-generated)", 70.0, "defocus_blur", 3),
                                        RobustnessReport.PerturbedAccuracy.pgd("pgd-linf-10", 12.5, "linf", 4 / 255.0)),
                                List.of("n=64: not below the model's input size 32, skipped"), 3.5)),
                new ScoreSet(1, "ev-1", "quick", false, "recomputed", 0.5, "sample", List.of("fashion-mnist"),
                        List.of(), false, null, AT).withRobustness(new RobustnessBoard(RESOLVED_SUITES, List.of(
                                new RobustnessBoard.ModelRobustness("convmixer-64-2", Map.of("fashion-mnist", 80.5),
                                        List.of(new RobustnessBoard.LowResolutionRow(16, Map.of("fashion-mnist", 61.0),
                                                Map.of("fashion-mnist", 0.76), Map.of("fashion-mnist", 0.76), 0.76,
                                                0.76, null)),
                                        new RobustnessBoard.CorruptionSummary(Map.of("defocus_blur/3",
                                                Map.of("fashion-mnist", 70.0)), Map.of("fashion-mnist", 70.0),
                                                "convmixer-64-2", null, null, 70.0),
                                        List.of(new RobustnessBoard.PgdRow("linf", 4 / 255.0,
                                                Map.of("fashion-mnist", 12.5))))),
                                null, List.of(new RobustnessBoard.RobustXScore("pgd-linf-0.0157", "PGD",
                                        List.of(new RobustnessBoard.RobustXScore.Entry("convmixer-64-2", null, null,
                                                null, null)))), "exponential(200)", List.of("one model"))));
    }

    static final RobustnessSpec RESOLVED_SUITES = io.xscore.common.robustness.RobustnessSuites.resolve(
            new RobustnessSpec(List.of("low-resolution", "corruptions", "pgd"), null, null, null, null, null),
            List.of("convmixer-64-2"), List.of("defocus_blur", "fog"));

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughItsSchema(Object message) {
        String json = MessageCodec.encode(message);
        Object back = MessageCodec.decode(json, message.getClass());
        assertEquals(message.toString(), back.toString());
    }

    @Test
    void rejectsMalformedJsonWithReason() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode("{\"schemaVersion\":1,", EvaluationRequest.class));
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
    }

    @Test
    void rejectsSchemaViolationsNamingTheField() {
        String emptyModels = "{\"schemaVersion\":1,\"models\":[],\"datasets\":[\"cifar10\"],\"seeds\":[0],"
                + "\"protocol\":\"quick\"}";
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode(emptyModels, EvaluationRequest.class));
        assertTrue(e.getMessage().contains("models"), e.getMessage());

        String failedWithoutReason = MessageCodec.encode(samples().filter(m -> m instanceof TrainingResult r
                && r.status() == TrainingResult.Status.FAILED).findFirst().orElseThrow()).replace("\"failureReason\":\"dataset 'nope' is unknown\",", "");
        e = assertThrows(InvalidMessageException.class, () -> MessageCodec.decode(failedWithoutReason, TrainingResult.class));
        assertTrue(e.getMessage().contains("failureReason"), e.getMessage());
    }

    @Test
    void weightDecayIsRecordedAndMustBeZero() {
        // the paper's Adam has no weight decay and the trainer applies none: a job asking for some is invalid
        for (String name : Protocols.names()) {
            assertEquals(0.0, Protocols.get(name).weightDecay(), name);
        }
        String ok = MessageCodec.encode(new TrainingJob(1, "ev-1", JOB, "convmixer-64-2", "fashion-mnist", 0, QUICK, AT));
        assertTrue(ok.contains("\"weightDecay\":0.0"), ok);
        MessageCodec.decode(ok, TrainingJob.class);
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> MessageCodec.decode(
                ok.replace("\"weightDecay\":0.0", "\"weightDecay\":1.0E-4"), TrainingJob.class));
        assertTrue(e.getMessage().contains("weightDecay"), e.getMessage());
    }

    @Test
    void augmentationSourceIsOneOfThree() {
        assertEquals("online", TrainingResult.AugmentationRecord.of("p", 0, 3, "off").source());
        assertEquals("cache", TrainingResult.AugmentationRecord.of("p", 3, 0, null).source());
        assertEquals("mixed", TrainingResult.AugmentationRecord.of("p", 2, 1, null).source());
        String ok = MessageCodec.encode(samples().filter(m -> m instanceof TrainingResult r && r.augmentation() != null)
                .findFirst().orElseThrow());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode(ok.replace("\"source\":\"mixed\"", "\"source\":\"disk\""),
                        TrainingResult.class));
        assertTrue(e.getMessage().contains("source"), e.getMessage());
    }

    @Test
    void refusesToEncodeAnInvalidMessage() {
        TrainingProgress bad = new TrainingProgress(1, "ev", "not-a-job-id", "m", "d", 0, "quick",
                TrainingProgress.Kind.STARTED, 0, 1, null, null, null, null, null, null, null, AT);
        assertThrows(InvalidMessageException.class, () -> MessageCodec.encode(bad));
    }

    @Test
    void rejectsTrailingDataAfterTheJsonValue() {
        String ok = MessageCodec.encode(samples().filter(m -> m instanceof EvaluationRequest).findFirst().orElseThrow());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode(ok + " {\"more\":1}", EvaluationRequest.class));
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
        assertThrows(InvalidMessageException.class, () -> MessageCodec.decode(ok + "x", EvaluationRequest.class));
    }

    @Test
    void anchoredPatternsRejectATrailingNewline() {
        String request = "{\"schemaVersion\":1,\"evaluationId\":\"%s\",\"models\":[\"mobilenet\"],"
                + "\"datasets\":[\"cifar10\"],\"seeds\":[0],\"protocol\":\"quick\"}";
        MessageCodec.decode(request.formatted("eval-1"), EvaluationRequest.class);
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode(request.formatted("eval-1\\n"), EvaluationRequest.class));
        assertTrue(e.getMessage().contains("evaluationId"), e.getMessage());
        String progress = MessageCodec.encode(samples().filter(m -> m instanceof TrainingProgress).findFirst()
                .orElseThrow());
        String jobId = Json.MAPPER.valueToTree(samples().filter(m -> m instanceof TrainingProgress).findFirst()
                .orElseThrow()).path("jobId").asText();
        assertThrows(InvalidMessageException.class,
                () -> MessageCodec.decode(progress.replace(jobId, jobId + "\\n"), TrainingProgress.class));
    }
}
