package io.xscore.scoring.xscore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete table of accuracies (%): one row per model, one column per dataset, every cell a finite number. Rows
 * keep their insertion order. Models with a missing cell do not belong in a table (they cannot be scored).
 */
public final class AccuracyTable {

    private final List<String> datasets;
    private final Map<String, double[]> rows;

    private AccuracyTable(List<String> datasets, Map<String, double[]> rows) {
        this.datasets = datasets;
        this.rows = rows;
    }

    public static Builder builder(List<String> datasets) {
        return new Builder(datasets);
    }

    public List<String> datasets() {
        return datasets;
    }

    public List<String> models() {
        return List.copyOf(rows.keySet());
    }

    public int modelCount() {
        return rows.size();
    }

    /** The row of a model, in dataset order (a copy). */
    public double[] row(String model) {
        double[] row = rows.get(model);
        if (row == null) {
            throw new IllegalArgumentException("no model '" + model + "' in the table");
        }
        return row.clone();
    }

    /** The column of a dataset, in model order. */
    public double[] column(String dataset) {
        int d = datasets.indexOf(dataset);
        if (d < 0) {
            throw new IllegalArgumentException("no dataset '" + dataset + "' in the table");
        }
        return rows.values().stream().mapToDouble(r -> r[d]).toArray();
    }

    /** The same rows restricted to the given datasets, in that order (each must be a column of this table). */
    public AccuracyTable select(List<String> columns) {
        Builder b = builder(columns);
        int[] idx = columns.stream().mapToInt(c -> {
            int i = datasets.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("no dataset '" + c + "' in the table");
            }
            return i;
        }).toArray();
        rows.forEach((m, r) -> {
            double[] v = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                v[j] = r[idx[j]];
            }
            b.row(m, v);
        });
        return b.build();
    }

    public double get(String model, String dataset) {
        return row(model)[datasets.indexOf(dataset)];
    }

    public static final class Builder {
        private final List<String> datasets;
        private final Map<String, double[]> rows = new LinkedHashMap<>();

        private Builder(List<String> datasets) {
            if (datasets.isEmpty()) {
                throw new IllegalArgumentException("an accuracy table needs at least one dataset");
            }
            if (datasets.stream().distinct().count() != datasets.size()) {
                throw new IllegalArgumentException("duplicate dataset in " + datasets);
            }
            this.datasets = List.copyOf(datasets);
        }

        /** Adds a row with the values in dataset order. */
        public Builder row(String model, double... values) {
            if (values.length != datasets.size()) {
                throw new IllegalArgumentException("model '" + model + "' has " + values.length + " values for "
                        + datasets.size() + " datasets");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("model '" + model + "' has a non-finite accuracy on "
                            + datasets.get(i));
                }
            }
            if (rows.putIfAbsent(model, values.clone()) != null) {
                throw new IllegalArgumentException("duplicate model '" + model + "'");
            }
            return this;
        }

        /** Adds a row from a dataset → accuracy map that must cover every dataset. */
        public Builder row(String model, Map<String, Double> byDataset) {
            double[] values = new double[datasets.size()];
            for (int i = 0; i < values.length; i++) {
                Double v = byDataset.get(datasets.get(i));
                if (v == null) {
                    throw new IllegalArgumentException("model '" + model + "' has no accuracy on " + datasets.get(i));
                }
                values[i] = v;
            }
            return row(model, values);
        }

        public AccuracyTable build() {
            return new AccuracyTable(datasets, Collections.unmodifiableMap(new LinkedHashMap<>(rows)));
        }
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        lines.add("model," + String.join(",", datasets));
        rows.forEach((m, r) -> lines.add(m + "," + java.util.Arrays.toString(r)));
        return String.join("\n", lines);
    }
}
