package io.xscore.dataset.augmentation;

import io.xscore.augment.Augmentation;
import io.xscore.augment.EpochAugmentation;
import io.xscore.dataset.catalog.DatasetException;
import io.xscore.dataset.catalog.Split;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the augmentation cache refuses, and with which message, before it touches the disk or the source split: a
 * request body field by field (400 naming the field, 422 for a pipeline that is not cached) and a key as it appears in
 * a URL (400). The dataset itself is checked by the caller ({@code DatasetSources}: 404 first).
 */
final class AugmentationRequestValidator {

    /** Keys as they appear in URLs: checked before any file-system access. */
    static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
    static final int MIN_RESOLUTION = 8;
    static final int MAX_RESOLUTION = 1024;
    static final int MAX_EPOCHS_PER_REQUEST = 64;
    /** Epochs are numbered 0 .. EPOCH_LIMIT-1 (the directory names have five digits). */
    static final int EPOCH_LIMIT = 10_000;

    private static final String TRAIN = Split.TRAIN.id();

    /**
     * A request that passed every check.
     *
     * @param name         the augmentation's name as requested ("paper")
     * @param augmentation its pipeline for the dataset (cacheable)
     * @param epochs       the requested epochs, sorted, each once
     */
    record ValidRequest(String name, Augmentation augmentation, int resolution, long seed, List<Integer> epochs) {
    }

    private AugmentationRequestValidator() {
    }

    /** Checks {@code body} for {@code dataset} in the order clients see the errors: first bad field wins. */
    static ValidRequest validate(String dataset, AugmentationRequest body) {
        if (body == null) {
            throw invalid("a JSON body {\"split\": \"train\", \"augmentation\": \"paper\", \"resolution\": 32, "
                    + "\"seed\": 0, \"epochs\": [0, 1]} is required");
        }
        if (!TRAIN.equals(body.split())) {
            throw invalid("\"split\" must be \"train\" (only the training split is augmented), got "
                    + quote(body.split()));
        }
        Augmentation augmentation;
        try {
            augmentation = Augmentation.forJob(body.augmentation(), dataset);
        } catch (UnsupportedOperationException e) {
            throw invalid("\"augmentation\" must be \"paper\" or \"light\", got " + quote(body.augmentation()));
        }
        if (!EpochAugmentation.cacheable(augmentation)) {
            throw new DatasetException(422, "augmentation-not-cacheable", "Augmentation not cacheable",
                    "augmentation '" + body.augmentation() + "' of dataset " + dataset + " is '"
                            + augmentation.description() + "': it has no 8-bit image ops (RandAugment, ColorJitter), "
                            + "so it is cheap and exact only when computed on the fly by the trainer; it is never "
                            + "cached", null);
        }
        Integer resolution = body.resolution();
        if (resolution == null || resolution < MIN_RESOLUTION || resolution > MAX_RESOLUTION) {
            throw invalid("\"resolution\" must be in [" + MIN_RESOLUTION + ", " + MAX_RESOLUTION + "], got "
                    + resolution);
        }
        if (body.seed() == null || body.seed() < 0) {
            throw invalid("\"seed\" must be a number >= 0, got " + body.seed());
        }
        List<Integer> epochs = body.epochs();
        if (epochs == null || epochs.isEmpty() || epochs.size() > MAX_EPOCHS_PER_REQUEST) {
            throw invalid("\"epochs\" must list 1 to " + MAX_EPOCHS_PER_REQUEST + " epochs, got "
                    + (epochs == null ? "none" : epochs.size()));
        }
        for (Integer epoch : epochs) {
            if (epoch == null || epoch < 0 || epoch >= EPOCH_LIMIT) {
                throw invalid("\"epochs\" must be in [0, " + EPOCH_LIMIT + "), got " + epoch);
            }
        }
        return new ValidRequest(body.augmentation(), augmentation, resolution, body.seed(),
                List.copyOf(new TreeSet<>(epochs)));
    }

    /** 400 unless {@code key} has the form of a key (so it can never name another path). */
    static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw invalid("augmented-set keys are 16 lower-case hex digits; got " + quote(key));
        }
    }

    private static DatasetException invalid(String detail) {
        return new DatasetException(400, "invalid-request", "Invalid request", detail, null);
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
