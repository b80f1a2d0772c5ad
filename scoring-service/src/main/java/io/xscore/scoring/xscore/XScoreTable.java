package io.xscore.scoring.xscore;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of scoring an {@link AccuracyTable}: one entry per model in the table's order, and notes explaining
 * anything that was not computed or was computed by convention (e.g. V = 0 for a single dataset).
 */
public record XScoreTable(
        List<String> datasets,
        Anchors anchors,
        double lambda,
        VarianceDivisor divisor,
        List<ModelXScore> models,
        List<String> notes) {

    public XScoreTable {
        datasets = List.copyOf(datasets);
        models = List.copyOf(models);
        notes = List.copyOf(notes);
    }

    public Optional<ModelXScore> model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst();
    }

    /** True when every model has an xScore. */
    public boolean scored() {
        return models.stream().allMatch(m -> m.xscore() != null);
    }
}
