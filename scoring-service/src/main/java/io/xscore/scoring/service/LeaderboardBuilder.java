package io.xscore.scoring.service;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.scoring.reference.ReferenceArchitectures;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.repository.ResultRepository.Accuracy;
import io.xscore.scoring.service.Leaderboard.Cell;
import io.xscore.scoring.service.Leaderboard.Entry;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.Anchors;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.SeedStatistics;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds leaderboards from stored results (pure).
 *
 * <ul>
 *   <li>Per (model, dataset) the accuracy is the mean over seeds (one result per seed: the first by job id), with
 *       standard error and seed count ({@link SeedStatistics}).</li>
 *   <li>Paper protocol with reference data: the reference models and the evaluated models on the fixed reference
 *       scale ({@link ReferencePlacement}); reference models keep exactly their reference xScores.</li>
 *   <li>Any other protocol: only that protocol's evaluated models, scored among themselves on anchors recomputed
 *       from the models that have every dataset; the others are listed unscored with the missing datasets.</li>
 * </ul>
 */
public final class LeaderboardBuilder {

    private LeaderboardBuilder() {
    }

    /** model → dataset → seed statistics, models and datasets sorted by name. */
    public static Map<String, Map<String, SeedStatistics>> aggregate(List<Accuracy> results) {
        Map<String, Map<String, Map<Long, Double>>> bySeed = new TreeMap<>();
        for (Accuracy a : results) {
            bySeed.computeIfAbsent(a.model(), m -> new TreeMap<>()).computeIfAbsent(a.dataset(), d -> new TreeMap<>())
                    .putIfAbsent(a.seed(), a.testAccuracy());
        }
        Map<String, Map<String, SeedStatistics>> out = new LinkedHashMap<>();
        bySeed.forEach((model, datasets) -> {
            Map<String, SeedStatistics> cells = new LinkedHashMap<>();
            datasets.forEach((d, seeds) -> cells.put(d, SeedStatistics.of(new ArrayList<>(seeds.values()))));
            out.put(model, cells);
        });
        return out;
    }

    /** The paper leaderboard on the fixed scale over {@code datasets} (a subset of the reference datasets). */
    public static Leaderboard reference(ReferenceScale scale, List<String> datasets,
                                        Map<String, Map<String, SeedStatistics>> evaluated) {
        ReferenceData ref = scale.data();
        AccuracyTable table = ref.table();
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        Map<String, Entry> proto = new LinkedHashMap<>();
        for (String model : table.models()) {
            Map<String, Double> row = new LinkedHashMap<>();
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (String d : datasets) {
                row.put(d, table.get(model, d));
                cells.put(d, new Cell(table.get(model, d), null, null));
            }
            String key = Leaderboard.SOURCE_REFERENCE + ":" + model;
            rows.put(key, row);
            proto.put(key, new Entry(null, model, Leaderboard.SOURCE_REFERENCE, ref.protocol(), null, cells, null,
                    null, null, null));
        }
        evaluated.forEach((model, stats) -> {
            String key = Leaderboard.SOURCE_EVALUATED + ":" + model;
            Map<String, Double> row = new LinkedHashMap<>();
            stats.forEach((d, s) -> row.put(d, s.mean()));
            rows.put(key, row);
            proto.put(key, new Entry(null, model, Leaderboard.SOURCE_EVALUATED, ref.protocol(), null, cells(stats),
                    null, null, null, null));
        });
        List<Entry> entries = new ArrayList<>();
        for (ReferencePlacement.Placement p : ReferencePlacement.place(scale, datasets, rows)) {
            Entry e = proto.get(p.key());
            String architecture = (Leaderboard.SOURCE_REFERENCE.equals(e.source())
                    ? ReferenceArchitectures.referenceRow(e.model()) : ReferenceArchitectures.zooModel(e.model()))
                    .orElse(null);
            entries.add(new Entry(p.rank(), e.model(), e.source(), e.protocol(), p.kind(), e.accuracies(), p.g(),
                    p.v(), p.xscore(), ReferenceArchitectures.join(p.note(), architecture)));
        }
        boolean all = datasets.equals(scale.datasets());
        List<String> notes = new ArrayList<>();
        if (!all) {
            notes.add("xScore over " + datasets.size() + " of the " + scale.datasets().size()
                    + " reference datasets (on their fixed anchors); the proxy applies only to the full set");
        }
        return new Leaderboard(ref.protocol(), true, Anchors.SCALE_REFERENCE, scale.calculator().lambda(),
                scale.calculator().divisor().wireName(), datasets,
                new Leaderboard.Reference(ref.protocol(), ref.version(), ref.sha256(), ref.source(),
                        table.modelCount()),
                all ? Leaderboard.Proxy.of(scale.proxy()) : null, sorted(entries), notes);
    }

    /**
     * A protocol's own leaderboard on recomputed anchors. {@code datasets} null: every dataset any of its models has
     * (catalog order).
     */
    public static Leaderboard recomputed(String protocol, boolean paperProtocol, XScoreCalculator calculator,
                                         List<String> datasets,
                                         Map<String, Map<String, SeedStatistics>> evaluated) {
        List<String> columns = datasets != null ? datasets : unionInCatalogOrder(evaluated);
        List<String> notes = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        if (columns.isEmpty()) {
            notes.add("no results under protocol " + protocol + " yet");
            return new Leaderboard(protocol, paperProtocol, Anchors.SCALE_RECOMPUTED, calculator.lambda(),
                    calculator.divisor().wireName(), columns, null, null, entries, notes);
        }
        AccuracyTable.Builder b = AccuracyTable.builder(columns);
        Map<String, String> missing = new LinkedHashMap<>();
        evaluated.forEach((model, stats) -> {
            List<String> lacks = columns.stream().filter(d -> !stats.containsKey(d)).toList();
            if (lacks.isEmpty()) {
                Map<String, Double> row = new LinkedHashMap<>();
                columns.forEach(d -> row.put(d, stats.get(d).mean()));
                b.row(model, row);
            } else {
                missing.put(model, "unscored: no accuracy on " + String.join(", ", lacks) + " under protocol "
                        + protocol);
            }
        });
        XScoreTable table = calculator.scoreRecomputed(b.build());
        notes.addAll(table.notes());
        for (ModelXScore m : table.models()) {
            Map<String, SeedStatistics> stats = restrict(evaluated.get(m.model()), columns);
            entries.add(new Entry(m.rank(), m.model(), Leaderboard.SOURCE_EVALUATED, protocol,
                    m.xscore() == null ? ReferencePlacement.UNSCORED : ReferencePlacement.FULL, cells(stats), m.g(),
                    m.v(), m.xscore(), null));
        }
        missing.forEach((model, note) -> entries.add(new Entry(null, model, Leaderboard.SOURCE_EVALUATED, protocol,
                ReferencePlacement.UNSCORED, cells(evaluated.get(model)), null, null, null, note)));
        notes.add(0, "protocol " + protocol + " is scored only among its own models, on anchors recomputed from them");
        return new Leaderboard(protocol, paperProtocol, Anchors.SCALE_RECOMPUTED, calculator.lambda(),
                calculator.divisor().wireName(), columns, null, null, sorted(entries), notes);
    }

    private static List<String> unionInCatalogOrder(Map<String, Map<String, SeedStatistics>> evaluated) {
        Set<String> present = new LinkedHashSet<>();
        evaluated.values().forEach(s -> present.addAll(s.keySet()));
        List<String> out = new ArrayList<>(DatasetCatalog.ids().stream().filter(present::contains).toList());
        present.stream().filter(d -> !out.contains(d)).sorted().forEach(out::add);
        return out;
    }

    private static Map<String, SeedStatistics> restrict(Map<String, SeedStatistics> stats, List<String> columns) {
        Map<String, SeedStatistics> out = new LinkedHashMap<>();
        columns.forEach(d -> out.put(d, stats.get(d)));
        return out;
    }

    static Map<String, Cell> cells(Map<String, SeedStatistics> stats) {
        Map<String, Cell> out = new LinkedHashMap<>();
        stats.forEach((d, s) -> out.put(d, new Cell(s.mean(), s.stderr(), s.seeds())));
        return out;
    }

    private static List<Entry> sorted(List<Entry> entries) {
        return entries.stream().sorted(Comparator.comparing(Entry::rank, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Entry::source, Comparator.reverseOrder()).thenComparing(Entry::model)).toList();
    }
}
