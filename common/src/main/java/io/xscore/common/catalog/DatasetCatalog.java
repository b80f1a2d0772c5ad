package io.xscore.common.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dataset ids the platform accepts, with the facts of docs/benchmark.md §2. Whether the data is present is the
 * dataset service's business; this catalog only says what an id means.
 */
public final class DatasetCatalog {

    private static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    private static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);
    private static final List<Double> HALF = List.of(0.5, 0.5, 0.5);

    private static final Map<String, DatasetInfo> DATASETS = index(
            new DatasetInfo("imagenette", "ImageNette (imagenette2-160)", "benchmark", false, 10, 9_469, 3_925, 160,
                    IMAGENET_MEAN, IMAGENET_STD),
            new DatasetInfo("cifar10", "CIFAR-10", "benchmark", true, 10, 50_000, 10_000, 224,
                    List.of(0.4914, 0.4822, 0.4465), List.of(0.2471, 0.2435, 0.2616)),
            new DatasetInfo("cifar100", "CIFAR-100", "benchmark", false, 100, 50_000, 10_000, 224,
                    List.of(0.5071, 0.4867, 0.4408), List.of(0.2675, 0.2565, 0.2761)),
            new DatasetInfo("ham10000", "HAM10000 (dx, stratified 70/15/15, seed 42)", "benchmark", true, 7, 7_009,
                    1_503, 224, HALF, HALF),
            new DatasetInfo("stanford_dogs", "Stanford Dogs (official split)", "benchmark", true, 120, 12_000, 8_580,
                    224, IMAGENET_MEAN, IMAGENET_STD),
            new DatasetInfo("mit_indoor67", "MIT Indoor-67", "benchmark", true, 67, 5_360, 1_340, 224,
                    IMAGENET_MEAN, IMAGENET_STD),
            new DatasetInfo("miniplaces", "MiniPlaces", "benchmark", false, 100, 100_000, 10_000, 224,
                    IMAGENET_MEAN, IMAGENET_STD),
            // Real and installable here (Debian dataset-fashion-mnist); statistics of its 60k training images.
            new DatasetInfo("fashion-mnist", "Fashion-MNIST", "extra", false, 10, 60_000, 10_000, 28,
                    List.of(0.2860, 0.2860, 0.2860), List.of(0.3530, 0.3530, 0.3530)),
            // Deterministic generated datasets of distinct visual domains, for fast tests and demos.
            new DatasetInfo("synthetic-shapes", "Synthetic shapes (10 geometric classes)", "synthetic", false, 10,
                    5_000, 1_000, 32, HALF, HALF),
            new DatasetInfo("synthetic-textures", "Synthetic textures (10 oriented-stripe classes)", "synthetic", false,
                    10, 5_000, 1_000, 32, HALF, HALF));

    /** The seven datasets of the paper, in the order of its tables. */
    public static final List<String> BENCHMARK = List.of("imagenette", "cifar10", "cifar100", "ham10000",
            "stanford_dogs", "mit_indoor67", "miniplaces");

    private DatasetCatalog() {
    }

    public static Optional<DatasetInfo> find(String id) {
        return Optional.ofNullable(DATASETS.get(id));
    }

    public static boolean exists(String id) {
        return id != null && DATASETS.containsKey(id);
    }

    public static List<DatasetInfo> all() {
        return List.copyOf(DATASETS.values());
    }

    public static List<String> ids() {
        return List.copyOf(DATASETS.keySet());
    }

    private static Map<String, DatasetInfo> index(DatasetInfo... infos) {
        Map<String, DatasetInfo> map = new LinkedHashMap<>();
        for (DatasetInfo info : infos) {
            map.put(info.id(), info);
        }
        return map;
    }
}
