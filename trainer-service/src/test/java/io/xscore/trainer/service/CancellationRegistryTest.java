package io.xscore.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.EvaluationCancellation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CancellationRegistryTest {

    private static final String OWN = "0".repeat(32);
    private static final String SHARED = "1".repeat(32);

    @Test
    void aCancellationWithAJobListStopsOnlyThoseJobs() {
        CancellationRegistry registry = new CancellationRegistry();
        registry.cancel(new EvaluationCancellation(1, "ev-a", "wrong grid", Instant.now(), List.of(OWN)));
        assertEquals(Optional.of("wrong grid"), registry.reasonFor("ev-a", OWN));
        assertTrue(registry.reasonFor("ev-a", SHARED).isEmpty(), "another evaluation awaits it: it keeps training");
        assertTrue(registry.reasonFor("ev-b", OWN).isEmpty());
    }

    @Test
    void aCancellationWithoutAJobListStopsEveryJobOfTheEvaluation() {
        CancellationRegistry registry = new CancellationRegistry();
        registry.cancel(new EvaluationCancellation(1, "ev-a", null, Instant.now()));
        assertEquals(Optional.of(""), registry.reasonFor("ev-a", OWN));
        assertEquals(Optional.of(""), registry.reasonFor("ev-a", SHARED));
    }

    @Test
    void remembersOnlyTheMostRecentEvaluations() {
        CancellationRegistry registry = new CancellationRegistry();
        for (int i = 0; i <= CancellationRegistry.CAPACITY; i++) {
            registry.cancel(new EvaluationCancellation(1, "ev-" + i, null, Instant.now()));
        }
        assertTrue(registry.reasonFor("ev-0", OWN).isEmpty());
        assertTrue(registry.reasonFor("ev-" + CancellationRegistry.CAPACITY, OWN).isPresent());
    }
}
