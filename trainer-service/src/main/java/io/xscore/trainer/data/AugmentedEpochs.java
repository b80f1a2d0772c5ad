package io.xscore.trainer.data;

import java.util.Optional;

/**
 * Where pre-computed augmented epochs come from (the dataset service's augmentation cache): each is the full train
 * split augmented for one epoch, at the training resolution, RGB, in split order. The loop asks once per epoch and
 * augments on the fly when there is none; both paths give the same images ({@code io.xscore.trainer.training.BatchAssembler}).
 *
 * <p>Implementations never fail a job: a cache that is down, full or late answers empty and says why in
 * {@link #note()}.
 */
public interface AugmentedEpochs extends AutoCloseable {

    /** Called before the first epoch of this run (after a resume, {@code firstEpoch} > 0). */
    default void start(int firstEpoch, int epochs) {
    }

    /** The pre-computed epoch {@code epoch} (0-based), or empty to augment it on the fly. */
    Optional<ImageSet> epoch(int epoch);

    /** Why epochs were (or will be) augmented on the fly, for the result; null if nothing to say. */
    default String note() {
        return null;
    }

    /** Releases what the source holds (threads, prefetched epochs); never throws. */
    @Override
    default void close() {
    }

    /** No cache: every epoch on the fly. */
    static AugmentedEpochs none(String why) {
        return new AugmentedEpochs() {
            @Override
            public Optional<ImageSet> epoch(int epoch) {
                return Optional.empty();
            }

            @Override
            public String note() {
                return why;
            }
        };
    }
}
