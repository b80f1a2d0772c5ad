package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.concurrent.DaemonThreads;
import io.xscore.dataset.format.Ham10000Layout;
import io.xscore.dataset.format.ImageDecoder.Geometry;
import io.xscore.dataset.format.ImageFolderLayout;
import io.xscore.dataset.format.ImageIndex;
import io.xscore.dataset.format.ListedLayout;
import io.xscore.dataset.format.MiniPlacesLayout;
import io.xscore.dataset.format.StanfordDogsLayout;
import io.xscore.dataset.synthetic.ShapesGenerator;
import io.xscore.dataset.synthetic.TexturesGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * One {@link DatasetSource} for every id of {@link DatasetCatalog} (in catalog order), then the custom image-folder
 * datasets users registered. A catalog dataset's files are looked for in its registered directory, else in
 * {@code <data-dir>/<id>} (where downloads land).
 *
 * <p>Cache geometry per dataset (docs/benchmark.md §2/§3): cifar10/cifar100 native 32; imagenette train shorter side 160 +
 * centre crop 160, test shorter side 192 + centre crop 160 (the reference test transform); ham10000 squashed to
 * 224x224; stanford_dogs shorter side 256 + centre crop 256 (the trainer crops 224); mit_indoor67 shorter side 224 +
 * centre crop 224; miniplaces squashed to 128 (its native size; the trainer upscales); custom: shorter side
 * {@code resolution} + centre crop.
 */
public final class DatasetSources {

    /** Ids of custom datasets. */
    public static final Pattern CUSTOM_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final List<Double> HALF = List.of(0.5, 0.5, 0.5);
    private static final long DEFAULT_SEED = 42;

    private final Path fashionMnistDir;
    private final Path dataDir;
    private final DatasetRegistry registry;
    private final ExecutorService pool;
    private final Map<String, DatasetSource> sources = new LinkedHashMap<>();

    /** Catalog datasets only, nothing registered, image datasets unavailable (unit tests). */
    public DatasetSources(Path fashionMnistDir) {
        this(fashionMnistDir, null, DatasetRegistry.inMemory(), null);
    }

    /**
     * @param dataDir  where downloaded datasets live ({@code <dataDir>/<id>}); null: only registered directories
     * @param pool     bounded executor that decodes images; null: a fixed pool of one thread per core
     */
    public DatasetSources(Path fashionMnistDir, Path dataDir, DatasetRegistry registry, ExecutorService pool) {
        this.fashionMnistDir = fashionMnistDir;
        this.dataDir = dataDir;
        this.registry = registry;
        this.pool = pool != null ? pool : DefaultPool.POOL;
        for (DatasetInfo info : DatasetCatalog.all()) {
            sources.put(info.id(), create(info, registry.get(info.id()).orElse(null)));
        }
        for (Map.Entry<String, DatasetRegistry.Entry> custom : registry.all().entrySet()) {
            if (!DatasetCatalog.exists(custom.getKey())) {
                try {
                    sources.put(custom.getKey(), custom(custom.getKey(), custom.getValue()));
                } catch (IOException e) {
                    sources.put(custom.getKey(), new UnavailableSource(customInfo(custom.getKey(), custom.getValue(),
                            1, 0, 0), "registered directory unreadable: " + e.getMessage()));
                }
            }
        }
    }

    public synchronized List<DatasetSource> all() {
        return List.copyOf(sources.values());
    }

    /** The source of {@code id}, or a 404 {@link DatasetException}. */
    public synchronized DatasetSource get(String id) {
        DatasetSource source = id == null ? null : sources.get(id);
        if (source == null) {
            throw DatasetException.unknownDataset(id);
        }
        return source;
    }

    /**
     * Registers {@code dir} (already checked against the allowed roots) for {@code id}: a catalog id, or a new custom
     * image-folder dataset ({@code <dir>/train/<class>/*}, {@code <dir>/test/<class>/*}) whose layout is read now.
     * The layout must be found there (400 otherwise). Persisted in the registry.
     */
    public DatasetSource register(String id, Path dir, DatasetRegistry.Entry options) throws IOException {
        if (id == null || !CUSTOM_ID.matcher(id).matches()) {
            throw new DatasetException(400, "bad-dataset-id", "Invalid dataset id",
                    "dataset ids match " + CUSTOM_ID.pattern() + "; got '" + id + "'", null);
        }
        DatasetRegistry.Entry entry = new DatasetRegistry.Entry(dir.toString(), options.split(), options.seed(),
                options.resolution(), options.name(), Instant.now().toString());
        DatasetSource source;
        if (DatasetCatalog.exists(id)) {
            source = create(DatasetCatalog.find(id).orElseThrow(), entry);
            if (source instanceof SyntheticSource) {
                throw new DatasetException(400, "not-registrable", "Dataset cannot be registered",
                        id + " is generated, it has no directory", null);
            }
        } else {
            source = custom(id, entry);
        }
        if (source.missing().isPresent()) {
            throw new DatasetException(400, "layout-not-found", "Dataset layout not found",
                    id + ": " + source.missing().get(), null);
        }
        registry.put(id, entry);
        synchronized (this) {
            sources.put(id, source);
        }
        return source;
    }

    private DatasetSource create(DatasetInfo info, DatasetRegistry.Entry entry) {
        String id = info.id();
        if (id.equals("synthetic-shapes")) {
            return new SyntheticSource(info, new ShapesGenerator());
        }
        if (id.equals("synthetic-textures")) {
            return new SyntheticSource(info, new TexturesGenerator());
        }
        if (id.equals("fashion-mnist")) {
            return new FashionMnistSource(info, entry != null ? Path.of(entry.path()) : fashionMnistDir);
        }
        String hint = "; register a directory (POST /api/v1/datasets/" + id + "/register {\"path\": ...})"
                + (dataDir != null ? " or download it (POST /api/v1/datasets/" + id + "/download)" : "");
        Path root;
        if (entry != null) {
            root = Path.of(entry.path());
        } else if (dataDir != null) {
            root = dataDir.resolve(id);
        } else {
            return new UnavailableSource(info, "not registered" + hint);
        }
        String split = entry != null && entry.split() != null ? entry.split() : "";
        long seed = entry != null && entry.seed() != null ? entry.seed() : DEFAULT_SEED;
        return switch (id) {
            case "cifar10" -> new CifarSource(info, root, CifarSource.Variant.CIFAR10, hint);
            case "cifar100" -> new CifarSource(info, root, CifarSource.Variant.CIFAR100, hint);
            case "imagenette" -> images(info, root, ImageFolderLayout.imagenette(), Geometry.crop(160, 160),
                    Geometry.crop(192, 160), hint);
            case "ham10000" -> images(info, root, new Ham10000Layout(option(id, split, "stratified", "lesion-grouped")
                    ? Ham10000Layout.Mode.LESION_GROUPED : Ham10000Layout.Mode.STRATIFIED, seed),
                    Geometry.squash(224), Geometry.squash(224), hint);
            case "stanford_dogs" -> images(info, root, new StanfordDogsLayout(option(id, split, "official",
                    "random-80-20") ? StanfordDogsLayout.Mode.RANDOM_80_20 : StanfordDogsLayout.Mode.OFFICIAL, seed),
                    Geometry.crop(256, 256), Geometry.crop(256, 256), hint);
            case "mit_indoor67" -> images(info, root, ListedLayout.mitIndoor67(), Geometry.crop(224, 224),
                    Geometry.crop(224, 224), hint);
            case "miniplaces" -> images(info, root, new MiniPlacesLayout(info.classes()), Geometry.squash(128),
                    Geometry.squash(128), hint);
            default -> new UnavailableSource(info, "no loader for " + id);
        };
    }

    /** True for the alternative value, false for the default (or empty); anything else is a 400. */
    private static boolean option(String id, String value, String byDefault, String alternative) {
        if (value.isEmpty() || value.equals(byDefault)) {
            return false;
        }
        if (value.equals(alternative)) {
            return true;
        }
        throw new DatasetException(400, "bad-option", "Invalid registration option", id + ": \"split\" is '"
                + byDefault + "' (default) or '" + alternative + "', got '" + value + "'", null);
    }

    private DatasetSource images(DatasetInfo info, Path root, io.xscore.dataset.format.ImageLayout layout,
            Geometry train, Geometry test, String hint) {
        return new ImageFileSource(info, root, layout, train, test, pool, true, hint);
    }

    private DatasetSource custom(String id, DatasetRegistry.Entry entry) throws IOException {
        int resolution = entry.resolution() != null ? entry.resolution() : 64;
        if (resolution < 8 || resolution > 512) {
            throw new DatasetException(400, "bad-option", "Invalid registration option",
                    id + ": \"resolution\" must be in [8, 512], got " + resolution, null);
        }
        Path root = Path.of(entry.path());
        ImageFolderLayout layout = ImageFolderLayout.generic();
        if (layout.missing(root).isPresent()) {
            throw new DatasetException(400, "layout-not-found", "Dataset layout not found",
                    id + ": " + layout.missing(root).get(), null);
        }
        ImageIndex index = layout.index(root);
        DatasetInfo info = customInfo(id, entry, index.classes().size(), index.train().size(), index.test().size());
        ImageFileSource source = new ImageFileSource(info, root, layout, Geometry.crop(resolution, resolution),
                Geometry.crop(resolution, resolution), pool, true, "");
        source.index();
        return source;
    }

    private static DatasetInfo customInfo(String id, DatasetRegistry.Entry entry, int classes, int train, int test) {
        int resolution = entry.resolution() != null ? entry.resolution() : 64;
        return new DatasetInfo(id, entry.name() != null ? entry.name() : id, "custom", false, classes, train, test,
                resolution, HALF, HALF);
    }

    /** One decoding thread per core, created on first use. */
    private static final class DefaultPool {
        static final ExecutorService POOL = Executors.newFixedThreadPool(
                Runtime.getRuntime().availableProcessors(), DaemonThreads.named("xscore-decode"));
    }
}
