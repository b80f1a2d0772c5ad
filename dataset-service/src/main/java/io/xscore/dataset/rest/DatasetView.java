package io.xscore.dataset.rest;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.dataset.cache.SplitCache;
import io.xscore.support.problem.ServerPaths;
import java.util.List;

/**
 * One entry of {@code GET /api/v1/datasets}: the catalog facts plus whether this service can serve the data. The
 * status detail shows no server path (it is in the service log and configuration): callers see what is missing, not
 * where the server keeps it.
 */
public record DatasetView(
        String id,
        String name,
        String kind,
        int classes,
        int trainImages,
        int testImages,
        int resolution,
        List<Double> mean,
        List<Double> std,
        boolean available,
        String status,
        String detail) {

    static DatasetView of(DatasetInfo info, SplitCache.Status status) {
        return new DatasetView(info.id(), info.name(), info.kind(), info.classes(), info.trainImages(),
                info.testImages(), info.resolution(), info.mean(), info.std(), status.available(), status.status(),
                ServerPaths.redact(status.detail(), List.of()));
    }
}
