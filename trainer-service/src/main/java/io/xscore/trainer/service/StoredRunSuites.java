package io.xscore.trainer.service;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.xscore.augment.Corruptions;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.messaging.RobustnessReport;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.protocol.ProtocolSpec;
import io.xscore.common.robustness.RobustnessSuites;
import io.xscore.support.problem.ProblemException;
import io.xscore.trainer.data.DatasetClient;
import io.xscore.trainer.data.DatasetIdentityCheck;
import io.xscore.trainer.data.ImageSet;
import io.xscore.trainer.data.Normalisation;
import io.xscore.trainer.model.ModelRegistry;
import io.xscore.trainer.robustness.RobustnessEvaluation;
import io.xscore.trainer.training.Checkpoint;
import io.xscore.trainer.training.TrainingLoop;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs robustness suites on a finished job's stored weights, without training again: the job's final checkpoint
 * (kept when {@code xscore.trainer.keep-checkpoints} is set; the checkpoint directory is shared by the trainers) is
 * loaded into the job's model, and {@link RobustnessEvaluation} runs on the dataset's test split exactly as after
 * training. The report is returned to the caller; it is not published (the job's result stands as it was).
 */
@ApplicationScoped
public class StoredRunSuites {

    private static final Logger LOG = Logger.getLogger(StoredRunSuites.class);

    private final TrainingJobService jobs;

    public StoredRunSuites(TrainingJobService jobs) {
        this.jobs = jobs;
    }

    /**
     * @param job    the job as it was trained (model, dataset, seed, resolved protocol, identity)
     * @param suites the suites to run; defaults are resolved as for a request
     */
    public RobustnessReport run(TrainingJob job, RobustnessSpec suites) {
        RobustnessSpec spec;
        try {
            spec = RobustnessSuites.resolve(suites, List.of(job.model()), Corruptions.NAMES);
        } catch (RobustnessSuites.InvalidSuitesException e) {
            throw ProblemException.badRequest(e.field(), e.getMessage());
        }
        DatasetInfo dataset = DatasetCatalog.find(job.dataset()).orElseThrow(() -> ProblemException.badRequest(
                "job.dataset", "unknown dataset '" + job.dataset() + "'"));
        ProtocolSpec protocol = job.protocol();
        int resolution = TrainingJobService.resolutionOf(protocol, dataset);
        Checkpoint stored = finishedCheckpoint(job, dataset, resolution);
        if (!jobs.engine().tryLock()) {
            throw ProblemException.conflict("trainer-busy", "Trainer busy", "this trainer is training a job; run "
                    + "the suites on an idle trainer (every trainer reads the shared checkpoint directory)", null);
        }
        try {
            DatasetClient.Split train = jobs.datasets().fetch(dataset.id(), "train");
            DatasetClient.Split test = jobs.datasets().fetch(dataset.id(), "test");
            DatasetIdentityCheck.check(job.identity(), train, test);
            return runOn(job, spec, stored, dataset.classes(), resolution,
                    Normalisation.of(train.manifest().mean(), train.manifest().std()), test.images());
        } finally {
            jobs.engine().unlock();
        }
    }

    /**
     * One test image (its index in the whole test split) and its PGD adversarial example against the job's stored
     * weights, as the PGD suite makes it: the test transform's [0, 1] pixels, the attack with the given radius (α =
     * relativeStepSize · ε / k, seeded random start as in the suite).
     */
    public AdversarialExample adversarialExample(TrainingJob job, int index, RobustnessSpec.PgdSettings attack,
                                                 long seed) {
        RobustnessSpec spec;
        try {
            spec = RobustnessSuites.resolve(new RobustnessSpec(List.of(RobustnessSpec.PGD), null, seed, null, null,
                    attack), List.of(job.model()), Corruptions.NAMES);
        } catch (RobustnessSuites.InvalidSuitesException e) {
            throw ProblemException.badRequest(e.field(), e.getMessage());
        }
        if (spec.pgd().epsilons().size() != 1) {
            throw ProblemException.badRequest("epsilon", "one radius per preview");
        }
        DatasetInfo dataset = DatasetCatalog.find(job.dataset()).orElseThrow(() -> ProblemException.badRequest(
                "job.dataset", "unknown dataset '" + job.dataset() + "'"));
        int resolution = TrainingJobService.resolutionOf(job.protocol(), dataset);
        Checkpoint stored = finishedCheckpoint(job, dataset, resolution);
        if (!jobs.engine().tryLock()) {
            throw ProblemException.conflict("trainer-busy", "Trainer busy", "this trainer is training a job; ask "
                    + "an idle trainer (every trainer reads the shared checkpoint directory)", null);
        }
        try {
            DatasetClient.Split train = jobs.datasets().fetch(dataset.id(), "train");
            DatasetClient.Split test = jobs.datasets().fetch(dataset.id(), "test");
            DatasetIdentityCheck.check(job.identity(), train, test);
            if (index < 0 || index >= test.images().size()) {
                throw ProblemException.notFound("Test image", "the test split of " + dataset.id() + " has "
                        + test.images().size() + " images; index " + index + " is not one of them");
            }
            return exampleOn(job, spec, stored, dataset.classes(), resolution,
                    Normalisation.of(train.manifest().mean(), train.manifest().std()), test.images(), index);
        } finally {
            jobs.engine().unlock();
        }
    }

    /**
     * A clean test image and its adversarial example, 8-bit RGB CHW at the model's size.
     *
     * @param cleanCorrect       the model classifies the clean image correctly
     * @param adversarialCorrect ... and the adversarial one (false: the attack succeeded)
     */
    public record AdversarialExample(int size, byte[] clean, byte[] adversarial, boolean cleanCorrect,
                                     boolean adversarialCorrect, String attack) {
    }

    static AdversarialExample exampleOn(TrainingJob job, RobustnessSpec spec, Checkpoint stored, int classes,
                                        int resolution, Normalisation normalisation, ImageSet fullTest, int index) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelRegistry.ModelSpec model = ModelRegistry.spec(job.model(), classes, resolution);
            Block block = ModelRegistry.build(model);
            block.initialize(manager, DataType.FLOAT32, model.inputShape(1));
            TrainingLoop.loadWeights(block, stored.parameters());
            io.xscore.trainer.robustness.TestImagePipeline pipeline =
                    new io.xscore.trainer.robustness.TestImagePipeline(fullTest, resolution, normalisation);
            float[] pixels = new float[pipeline.floatsPerImage()];
            pipeline.unitPixels(index, pixels, 0);
            io.xscore.trainer.robustness.PgdSettings settings = RobustnessEvaluation.attacks(spec.pgd(),
                    io.xscore.common.protocol.Seeds.derive(spec.seed(), "pgd")).get(0);
            io.xscore.trainer.robustness.PgdAttack.BatchResult result = new io.xscore.trainer.robustness.PgdAttack(
                    block, new ParameterStore(manager, false), manager, normalisation).attack(settings, pixels,
                    new int[] {fullTest.label(index)}, resolution, resolution, index);
            return new AdversarialExample(resolution, bytes(pixels), bytes(result.adversarialPixels()),
                    result.cleanCorrect()[0], result.adversarialCorrect()[0], settings.description());
        }
    }

    private static byte[] bytes(float[] unit) {
        byte[] out = new byte[unit.length];
        for (int i = 0; i < unit.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(unit[i] * 255f)));
        }
        return out;
    }

    /** The suites on the stored weights, given the dataset's normalisation and whole test split. */
    static RobustnessReport runOn(TrainingJob job, RobustnessSpec spec, Checkpoint stored, int classes,
                                  int resolution, Normalisation normalisation, ImageSet fullTest) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelRegistry.ModelSpec model = ModelRegistry.spec(job.model(), classes, resolution);
            Block block = ModelRegistry.build(model);
            block.initialize(manager, DataType.FLOAT32, model.inputShape(1));
            TrainingLoop.loadWeights(block, stored.parameters());
            LOG.infof("job %s: running suites %s on its stored weights", job.jobId(), spec.suites());
            return new RobustnessEvaluation(manager, block, new ParameterStore(manager, false)).run(spec, fullTest,
                    resolution, normalisation, (done, total, eta) -> { });
        }
    }

    /** The stored final checkpoint of {@code job}, checked to be of its setup and finished. */
    Checkpoint finishedCheckpoint(TrainingJob job, DatasetInfo dataset, int resolution) {
        ProtocolSpec protocol = job.protocol();
        Checkpoint stored = jobs.checkpoints().load(job.jobId()).orElseThrow(() -> ProblemException.notFound(
                "Stored weights", "no stored checkpoint of job " + job.jobId() + " (trainers keep the final "
                        + "checkpoint only with xscore.trainer.keep-checkpoints=true)"));
        if (!TrainingLoop.fingerprintMatches(stored.fingerprint(), job.jobId(), job.model(), dataset.id(), job.seed(),
                resolution, dataset.classes(), protocol)) {
            throw ProblemException.conflict("checkpoint-mismatch", "Stored weights of another setup",
                    "the stored checkpoint of job " + job.jobId() + " was written for another model, dataset, seed "
                            + "or protocol than the job given", "job");
        }
        if (stored.epoch() < protocol.epochs()) {
            throw ProblemException.conflict("unfinished-run", "Unfinished run", "the stored checkpoint of job "
                    + job.jobId() + " is at " + stored.state().describe(protocol.epochs()) + ": its run has not "
                    + "finished", "job");
        }
        return stored;
    }
}
