package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.JobAttempt;
import io.xscore.common.messaging.JobRef;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingProgress;
import io.xscore.common.messaging.TrainingResult;
import org.junit.jupiter.api.Test;

/** One job reference for the job, progress and result records; the wire format stays the v1 schemas' flat fields. */
class JobRefTest {

    private static final TrainingJob JOB = new TrainingJob(1, "ev-1", MessageSchemasTest.JOB, "convmixer-64-2",
            "fashion-mnist", 7, MessageSchemasTest.QUICK, MessageSchemasTest.AT);

    @Test
    void progressAndResultBuiltFromAJobsReferenceNameTheSameJobAndPassTheirSchemas() {
        JobRef ref = JOB.ref();
        assertEquals(new JobRef("ev-1", MessageSchemasTest.JOB, "convmixer-64-2", "fashion-mnist", 7, "quick"), ref);
        assertEquals("convmixer-64-2/fashion-mnist/7", ref.label());

        JobAttempt attempt = new JobAttempt(2, "trainer-2", MessageSchemasTest.AT, null);
        TrainingProgress released = TrainingProgress.of(ref, TrainingProgress.Kind.RELEASED, 1, 2, null, null, null,
                null, null, null, "trainer-2", MessageSchemasTest.AT, attempt);
        TrainingProgress decoded = MessageCodec.decode(MessageCodec.encode(released), TrainingProgress.class);
        assertEquals(released, decoded);
        assertEquals(ref, decoded.ref());
        assertFalse(MessageCodec.encode(released).contains("\"ref\""), "the reference is not a wire field");

        TrainingResult failed = TrainingResult.failed(ref, JOB.protocol(), "trainer-2", "rejected after 3 deliveries",
                0.0, MessageSchemasTest.AT);
        TrainingResult back = MessageCodec.decode(MessageCodec.encode(failed), TrainingResult.class);
        assertEquals(ref, back.ref());
        assertEquals(TrainingResult.Status.FAILED, back.status());
        assertEquals(JOB.protocol(), back.resolved());
        assertEquals(JOB.protocol().paper(), back.paperProtocol());

        TrainingProgress epoch = TrainingProgress.of(ref, TrainingProgress.Kind.EPOCH, 1, 2, 1.5, 40.0, 45.0, 1e-3,
                100.0, 3.0, "trainer-1", MessageSchemasTest.AT, null);
        assertEquals(attempt, epoch.withAttempt(attempt).attempt());
        assertEquals(epoch.ref(), epoch.withAttempt(attempt).ref());
    }
}
