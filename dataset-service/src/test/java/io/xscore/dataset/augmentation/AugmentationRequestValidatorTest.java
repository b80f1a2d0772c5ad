package io.xscore.dataset.augmentation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xscore.augment.Augmentation;
import io.xscore.dataset.catalog.DatasetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a request is refused for, with which status and message, without a store, a disk or a source split. */
class AugmentationRequestValidatorTest {

    static final String DATASET = "synthetic-shapes";

    static AugmentationRequest request(String split, String augmentation, Integer resolution, Long seed,
            List<Integer> epochs) {
        return new AugmentationRequest(split, augmentation, resolution, seed, epochs);
    }

    static DatasetException refused(AugmentationRequest body) {
        return assertThrows(DatasetException.class, () -> AugmentationRequestValidator.validate(DATASET, body),
                String.valueOf(body));
    }

    static String badRequest(AugmentationRequest body) {
        DatasetException e = refused(body);
        assertEquals(400, e.status(), e.getMessage());
        assertEquals("invalid-request", e.slug());
        return e.getMessage();
    }

    @Test
    void eachBadFieldIsRefusedNamingItAndWhatWasSent() {
        assertContains(badRequest(null), "a JSON body {\"split\": \"train\"");
        assertContains(badRequest(request("test", "paper", 32, 0L, List.of(0))),
                "\"split\" must be \"train\" (only the training split is augmented), got 'test'");
        assertContains(badRequest(request(null, "paper", 32, 0L, List.of(0))), "\"split\" must be \"train\"");
        assertContains(badRequest(request(null, "paper", 32, 0L, List.of(0))), "got nothing");
        assertContains(badRequest(request("train", "heavy", 32, 0L, List.of(0))),
                "\"augmentation\" must be \"paper\" or \"light\", got 'heavy'");
        assertContains(badRequest(request("train", "paper", 7, 0L, List.of(0))),
                "\"resolution\" must be in [8, 1024], got 7");
        assertContains(badRequest(request("train", "paper", 1025, 0L, List.of(0))), "got 1025");
        assertContains(badRequest(request("train", "paper", null, 0L, List.of(0))), "got null");
        assertContains(badRequest(request("train", "paper", 32, -1L, List.of(0))),
                "\"seed\" must be a number >= 0, got -1");
        assertContains(badRequest(request("train", "paper", 32, null, List.of(0))), "\"seed\"");
        assertContains(badRequest(request("train", "paper", 32, 0L, null)),
                "\"epochs\" must list 1 to 64 epochs, got none");
        assertContains(badRequest(request("train", "paper", 32, 0L, List.of())), "got 0");
        assertContains(badRequest(request("train", "paper", 32, 0L, IntStream.range(0, 65).boxed().toList())),
                "got 65");
        assertContains(badRequest(request("train", "paper", 32, 0L, List.of(0, 10_000))),
                "\"epochs\" must be in [0, 10000), got 10000");
        assertContains(badRequest(request("train", "paper", 32, 0L, List.of(-1))), "got -1");
        assertContains(badRequest(request("train", "paper", 32, 0L, Collections.singletonList(null))), "got null");
    }

    @Test
    void theFirstBadFieldWins() {
        assertContains(badRequest(request("test", "heavy", 1, -1L, List.of())), "\"split\"");
        assertContains(badRequest(request("train", "paper", 1, -1L, List.of())), "\"resolution\"");
        assertContains(badRequest(request("train", "paper", 32, -1L, List.of())), "\"seed\"");
    }

    @Test
    void aPipelineWithoutEightBitOpsIsNotCacheable() {
        DatasetException light = refused(request("train", "light", 32, 0L, List.of(0)));
        assertEquals(422, light.status());
        assertEquals("augmentation-not-cacheable", light.slug());
        assertContains(light.getMessage(), "augmentation 'light' of dataset " + DATASET + " is '"
                + Augmentation.forJob("light", DATASET).description() + "'");
        // Checked before the other fields: a bad resolution does not hide it.
        assertEquals(422, refused(request("train", "light", 1, 0L, List.of(0))).status());
    }

    @Test
    void theBoundsThemselvesAreAcceptedAndEpochsComeBackSortedOnce() {
        List<Integer> all = IntStream.range(0, 64).map(i -> 63 - i).boxed().toList();
        AugmentationRequestValidator.ValidRequest low = AugmentationRequestValidator.validate(DATASET,
                request("train", "paper", 8, 0L, all));
        assertEquals(8, low.resolution());
        assertEquals(0L, low.seed());
        assertEquals(IntStream.range(0, 64).boxed().toList(), low.epochs());

        AugmentationRequestValidator.ValidRequest high = AugmentationRequestValidator.validate(DATASET,
                request("train", "paper", 1024, 12L, Arrays.asList(9_999, 3, 3, 0)));
        assertEquals(1024, high.resolution());
        assertEquals(12L, high.seed());
        assertEquals("paper", high.name());
        assertEquals(Augmentation.forJob("paper", DATASET).description(), high.augmentation().description());
        assertEquals(List.of(0, 3, 9_999), high.epochs());
    }

    @Test
    void keysMustBeSixteenLowerCaseHexDigits() {
        assertDoesNotThrow(() -> AugmentationRequestValidator.checkKey("0123456789abcdef"));
        for (String bad : Arrays.asList(null, "", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0",
                "../../etc/passwd", "0123456789abcdeg")) {
            DatasetException e = assertThrows(DatasetException.class, () -> AugmentationRequestValidator.checkKey(bad),
                    String.valueOf(bad));
            assertEquals(400, e.status());
            assertContains(e.getMessage(), "augmented-set keys are 16 lower-case hex digits; got "
                    + (bad == null ? "nothing" : "'" + bad + "'"));
        }
    }

    @Test
    void theStoresPublicBoundsAreTheValidators() {
        assertEquals(AugmentationRequestValidator.EPOCH_LIMIT, AugmentationStore.EPOCH_LIMIT);
        assertEquals(10_000, AugmentationStore.EPOCH_LIMIT);
        assertEquals(8, AugmentationStore.MIN_RESOLUTION);
        assertEquals(1024, AugmentationStore.MAX_RESOLUTION);
        assertEquals(64, AugmentationStore.MAX_EPOCHS_PER_REQUEST);
        assertEquals(AugmentationRequestValidator.KEY.pattern(), AugmentationStore.KEY.pattern());
    }

    static void assertContains(String message, String part) {
        if (!message.contains(part)) {
            throw new AssertionError("expected '" + part + "' in: " + message);
        }
    }
}
