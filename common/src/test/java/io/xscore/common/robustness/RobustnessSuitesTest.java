package io.xscore.common.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.hash.Sha256;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.RobustnessSpec;
import io.xscore.common.messaging.RobustnessSpec.CorruptionSettings;
import io.xscore.common.messaging.RobustnessSpec.LowResolutionSettings;
import io.xscore.common.messaging.RobustnessSpec.PgdSettings;
import io.xscore.common.protocol.JobIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults written out, the rules beyond the schema, and the suites' place in the job id. */
class RobustnessSuitesTest {

    static final List<String> MODELS = List.of("convmixer-32-2", "mobilenet");
    static final List<String> AVAILABLE = List.of("gaussian_noise", "defocus_blur", "fog");

    static RobustnessSpec spec(List<String> suites) {
        return new RobustnessSpec(suites, null, null, null, null, null);
    }

    @Test
    void everyDefaultIsWrittenOut() {
        RobustnessSpec r = RobustnessSuites.resolve(spec(List.of("pgd", "low-resolution", "corruptions")), MODELS,
                AVAILABLE);
        assertEquals(List.of("low-resolution", "corruptions", "pgd"), r.suites(), "suites in their fixed order");
        assertEquals(1000, r.images());
        assertEquals(0L, r.seed());
        assertEquals(List.of(16, 32, 64, 128), r.lowResolution().shorterSides());
        assertEquals(AVAILABLE, r.corruptions().names());
        assertEquals(List.of(1, 2, 3, 4, 5), r.corruptions().severities());
        assertEquals("convmixer-32-2", r.corruptions().baseline(), "the first model is the default baseline");
        assertEquals("linf", r.pgd().norm());
        assertEquals(4 / 255.0, r.pgd().epsilons().get(2), 1e-15);
        assertEquals(10, r.pgd().steps());
        assertEquals(2.5, r.pgd().relativeStepSize());
        assertTrue(r.pgd().randomStart());
        assertEquals(r, RobustnessSuites.resolve(r, MODELS, AVAILABLE), "resolving a resolved spec changes nothing");
    }

    @Test
    void onlyTheNamedSuitesGetSettings() {
        RobustnessSpec r = RobustnessSuites.resolve(spec(List.of("corruptions")), MODELS, AVAILABLE);
        assertNull(r.lowResolution());
        assertNull(r.pgd());
        RobustnessSpec l2 = RobustnessSuites.resolve(new RobustnessSpec(List.of("pgd"), 50, 3L, null, null,
                new PgdSettings("l2", null, 5, null, false)), MODELS, AVAILABLE);
        assertEquals(RobustnessSuites.DEFAULT_L2_EPSILONS, l2.pgd().epsilons());
        assertEquals(5, l2.pgd().steps());
        assertEquals(false, l2.pgd().randomStart());
        assertEquals(50, l2.images());
        assertEquals(3L, l2.seed());
    }

    @Test
    void listsAreSortedAndCorruptionsKeepThePlatformsOrder() {
        RobustnessSpec r = RobustnessSuites.resolve(new RobustnessSpec(List.of("low-resolution", "corruptions"),
                null, null, new LowResolutionSettings(List.of(64, 16)),
                new CorruptionSettings(List.of("fog", "gaussian_noise"), List.of(5, 1), "mobilenet"), null), MODELS,
                AVAILABLE);
        assertEquals(List.of(16, 64), r.lowResolution().shorterSides());
        assertEquals(List.of("gaussian_noise", "fog"), r.corruptions().names());
        assertEquals(List.of(1, 5), r.corruptions().severities());
        assertEquals("mobilenet", r.corruptions().baseline());
    }

    @Test
    void rulesBeyondTheSchemaNameTheField() {
        var unknown = assertThrows(RobustnessSuites.InvalidSuitesException.class, () -> RobustnessSuites.resolve(
                new RobustnessSpec(List.of("corruptions"), null, null, null,
                        new CorruptionSettings(List.of("fog", "frostbite"), null, null), null), MODELS, AVAILABLE));
        assertEquals("robustness.corruptions.names[1]", unknown.field());
        assertTrue(unknown.getMessage().contains("frostbite"), unknown.getMessage());

        var baseline = assertThrows(RobustnessSuites.InvalidSuitesException.class, () -> RobustnessSuites.resolve(
                new RobustnessSpec(List.of("corruptions"), null, null, null,
                        new CorruptionSettings(null, null, "resnet50"), null), MODELS, AVAILABLE));
        assertEquals("robustness.corruptions.baseline", baseline.field());

        var unnamed = assertThrows(RobustnessSuites.InvalidSuitesException.class, () -> RobustnessSuites.resolve(
                new RobustnessSpec(List.of("pgd"), null, null, new LowResolutionSettings(List.of(16)), null, null),
                MODELS, AVAILABLE));
        assertEquals("robustness.lowResolution", unnamed.field());

        var linf = assertThrows(RobustnessSuites.InvalidSuitesException.class, () -> RobustnessSuites.resolve(
                new RobustnessSpec(List.of("pgd"), null, null, null, null,
                        new PgdSettings("linf", List.of(4.0), null, null, null)), MODELS, AVAILABLE));
        assertEquals("robustness.pgd.epsilons", linf.field());
        assertTrue(linf.getMessage().contains("4/255"), linf.getMessage());

        var none = assertThrows(RobustnessSuites.InvalidSuitesException.class,
                () -> RobustnessSuites.resolve(spec(List.of()), MODELS, AVAILABLE));
        assertEquals("robustness.suites", none.field());
    }

    @Test
    void suitesAreAnExtraLineOfTheJobIdAndOnlyWhenPresent() {
        JobIdentity plain = new JobIdentity(Sha256.hex("p"), Sha256.hex("m"), Sha256.hex("d"), Sha256.hex("a"));
        assertEquals(plain, JobIds.withRobustness(plain, null), "no suites: the identity and id of before");
        RobustnessSpec pgd = RobustnessSuites.resolve(spec(List.of("pgd")), MODELS, AVAILABLE);
        JobIdentity withPgd = JobIds.withRobustness(plain, pgd);
        String canonical = JobIds.canonicalSpec("m", "d", 0, withPgd);
        assertEquals(JobIds.canonicalSpec("m", "d", 0, plain) + "robustness=" + JobIds.robustnessDigest(pgd) + "\n",
                canonical);
        assertNotEquals(JobIds.jobId("m", "d", 0, plain), JobIds.jobId("m", "d", 0, withPgd));

        RobustnessSpec sameAgain = RobustnessSuites.resolve(new RobustnessSpec(List.of("pgd"), 1000, 0L, null, null,
                new PgdSettings("linf", null, 10, 2.5, true)), MODELS, AVAILABLE);
        assertEquals(JobIds.robustnessDigest(pgd), JobIds.robustnessDigest(sameAgain),
                "defaults spelled out name the same job");
        RobustnessSpec otherSeed = RobustnessSuites.resolve(new RobustnessSpec(List.of("pgd"), null, 1L, null, null,
                null), MODELS, AVAILABLE);
        assertNotEquals(JobIds.robustnessDigest(pgd), JobIds.robustnessDigest(otherSeed));
    }
}
