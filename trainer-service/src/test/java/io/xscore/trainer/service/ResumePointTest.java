package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.protocol.Protocols;
import io.xscore.trainer.TestImages;
import io.xscore.trainer.config.TrainerConfig;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.training.CheckpointStore;
import io.xscore.trainer.training.StopRequest;
import io.xscore.trainer.training.TrainingListener;
import io.xscore.trainer.training.TrainingLoop;
import io.xscore.trainer.training.TrainingSetup;
import io.xscore.trainer.training.TrainingSuspendedException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainingJobService#resumePoint}: where a job would continue, from its checkpoint. */
class ResumePointTest {

    private static TrainingJobService service(Path checkpointDir) {
        TrainerConfig config = (TrainerConfig) Proxy.newProxyInstance(TrainerConfig.class.getClassLoader(),
                new Class<?>[] {TrainerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("checkpointDir")) {
                        return checkpointDir.toString();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        // resumePoint needs only the checkpoint directory: no DJL, metrics, cancellations or dataset client
        return new TrainingJobService(config, null, null, null, null);
    }

    @Test
    void reportsTheEpochAndBatchOfAMatchingCheckpoint(@TempDir Path dir) throws Exception {
        ProtocolSpec protocol = Protocols.resolve("quick", Map.of("epochs", 2, "trainSubset", 64, "testSubset", 16,
                "resolution", 16));
        TrainingJob job = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", "job-resume-point", "convmixer-16-1",
                "synthetic-shapes", 3, protocol, Instant.now());
        TrainingJobService service = service(dir);
        assertEquals(Optional.empty(), service.resumePoint(job), "no checkpoint yet");

        Normalisation half = Normalisation.of(List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5));
        TrainingSetup setup = new TrainingSetup(job.jobId(), job.model(), job.dataset(), protocol, job.seed(), 16, 10,
                ImageSet.of(List.of(TestImages.twoClasses(64, 16, 2, 1))),
                ImageSet.of(List.of(TestImages.twoClasses(16, 16, 2, 2))), half, 0);
        StopRequest stop = new StopRequest();
        int[] steps = {0};
        assertThrows(TrainingSuspendedException.class, () -> new TrainingLoop().run(setup, new TrainingListener() {
            @Override
            public void onStep(double seconds) {
                if (++steps[0] == 3) {
                    stop.request();
                }
            }
        }, new CheckpointStore(dir), stop));
        assertEquals(Optional.of("epoch 2, batch 1"), service.resumePoint(job));

        // the same job id with another seed or protocol would start from scratch
        TrainingJob otherSeed = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", job.jobId(), job.model(),
                job.dataset(), 4, protocol, Instant.now());
        assertEquals(Optional.empty(), service.resumePoint(otherSeed));
        TrainingJob otherProtocol = new TrainingJob(TrainingJob.SCHEMA_VERSION, "eval-1", job.jobId(), job.model(),
                job.dataset(), 3, Protocols.resolve("quick", Map.of("epochs", 3, "trainSubset", 64, "testSubset", 16,
                "resolution", 16)), Instant.now());
        assertEquals(Optional.empty(), service.resumePoint(otherProtocol));

        // a damaged checkpoint: nothing to resume
        Path file = new CheckpointStore(dir).fileOf(job.jobId());
        Files.write(file, new byte[] {1, 2, 3});
        assertEquals(Optional.empty(), service.resumePoint(job));
    }
}
