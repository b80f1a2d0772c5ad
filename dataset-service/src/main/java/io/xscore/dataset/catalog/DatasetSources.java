package io.xscore.dataset.catalog;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.dataset.synthetic.ShapesGenerator;
import io.xscore.dataset.synthetic.SyntheticSource;
import io.xscore.dataset.synthetic.TexturesGenerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@link DatasetSource} for every id of {@link DatasetCatalog}, in catalog order. */
public final class DatasetSources {

    static final String NOT_IMPLEMENTED = "loader not implemented yet: this service cannot read this dataset's"
            + " native format so far, so no data can be served";

    private final Map<String, DatasetSource> sources = new LinkedHashMap<>();

    public DatasetSources(Path fashionMnistDir) {
        for (DatasetInfo info : DatasetCatalog.all()) {
            sources.put(info.id(), switch (info.id()) {
                case "fashion-mnist" -> new FashionMnistSource(info, fashionMnistDir);
                case "synthetic-shapes" -> new SyntheticSource(info, new ShapesGenerator());
                case "synthetic-textures" -> new SyntheticSource(info, new TexturesGenerator());
                default -> new UnavailableSource(info, NOT_IMPLEMENTED);
            });
        }
    }

    public List<DatasetSource> all() {
        return List.copyOf(sources.values());
    }

    /** The source of {@code id}, or a 404 {@link DatasetException}. */
    public DatasetSource get(String id) {
        DatasetSource source = id == null ? null : sources.get(id);
        if (source == null) {
            throw DatasetException.unknownDataset(id);
        }
        return source;
    }
}
