package io.xscore.common.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings a protocol allows but that make a run say little, spelled out for whoever asked for it (the gateway shows
 * them with the evaluation). The schedule is the spec's (docs/benchmark.md §3: the last epoch runs at lr_min), so very short
 * overrides degenerate; these warnings say how, instead of silently training at the floor learning rate.
 */
public final class ProtocolWarnings {

    private ProtocolWarnings() {
    }

    public static List<String> of(ProtocolSpec p) {
        List<String> warnings = new ArrayList<>();
        int cosine = p.epochs() - p.warmupEpochs();
        if (cosine <= 1 && p.warmupEpochs() == 0) {
            warnings.add(String.format(Locale.ROOT, "epochs=%d without warm-up: the schedule's last epoch runs at "
                    + "lr_min (%.0e), so the whole run trains at lr_min and barely learns; use epochs >= 2",
                    p.epochs(), p.lrMin()));
        } else if (cosine <= 1) {
            warnings.add(String.format(Locale.ROOT, "epochs=%d with %d warm-up epoch(s): the cosine phase is the last "
                    + "epoch alone, which runs at lr_min (%.0e); use epochs >= warmupEpochs + 2", p.epochs(),
                    p.warmupEpochs(), p.lrMin()));
        }
        if (p.trainSubset() != null && p.trainSubset() < p.batchSize()) {
            warnings.add("trainSubset=" + p.trainSubset() + " is below the batch size " + p.batchSize()
                    + ": one optimiser step per epoch");
        }
        if (p.testSubset() != null && p.testSubset() < 100) {
            warnings.add("testSubset=" + p.testSubset() + ": accuracies move in steps of "
                    + String.format(Locale.ROOT, "%.1f", 100.0 / p.testSubset()) + " points");
        }
        return List.copyOf(warnings);
    }
}
