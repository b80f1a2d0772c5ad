package io.xscore.scoring.service;

import io.xscore.common.protocol.Protocols;
import io.xscore.scoring.config.ScoringConfig;
import io.xscore.scoring.proxy.ProxySearch;
import io.xscore.scoring.proxy.ProxySearchResult;
import io.xscore.scoring.proxy.SubsetFit;
import io.xscore.scoring.reference.ReferenceData;
import io.xscore.scoring.reference.ReferenceScale;
import io.xscore.scoring.repository.ReferenceRepository;
import io.xscore.scoring.repository.ResultRepository;
import io.xscore.scoring.repository.ScoreSetRepository;
import io.xscore.scoring.robustness.ModelRobustnessEntry;
import io.xscore.scoring.xscore.AccuracyTable;
import io.xscore.scoring.xscore.Diagnostics;
import io.xscore.scoring.xscore.ModelXScore;
import io.xscore.scoring.xscore.SeedStatistics;
import io.xscore.scoring.xscore.VarianceDivisor;
import io.xscore.scoring.xscore.XScoreCalculator;
import io.xscore.scoring.xscore.XScoreTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leaderboards, per-model scores, proxy-subset searches and diagnostics, computed on request from the stored results
 * ({@code results}) and the stored reference table ({@code reference_accuracies}); nothing here is stored.
 */
@ApplicationScoped
public class LeaderboardService {

    private final ResultRepository results;
    private final ReferenceRepository references;
    private final ScoringConfig config;
    private final ScoreSetRepository scoreSets;

    public LeaderboardService(ResultRepository results, ReferenceRepository references, ScoringConfig config,
                              ScoreSetRepository scoreSets) {
        this.results = results;
        this.references = references;
        this.config = config;
        this.scoreSets = scoreSets;
    }

    /** Default-calculator scales by protocol, rebuilt only when the stored table changes. */
    private final Map<String, ReferenceScale> scales = new ConcurrentHashMap<>();
    private volatile ReferenceScale shippedPaper;

    public XScoreCalculator calculator(Double lambda) {
        return new XScoreCalculator(lambda == null ? config.lambda() : lambda,
                VarianceDivisor.parse(config.varianceDivisor()));
    }

    /**
     * The protocol's fixed reference scale, when it is a paper protocol with a stored reference table. The scale
     * (anchors, proxy search) is built once per stored table (version and checksum), not on every request.
     */
    public Optional<ReferenceScale> referenceScale(String protocol, XScoreCalculator calculator) {
        if (!Protocols.exists(protocol) || !Protocols.get(protocol).paper()) {
            return Optional.empty();
        }
        return references.load(protocol).map(d -> scales.compute(protocol, (p, cached) ->
                        cached != null && cached.data().version() == d.version()
                                && cached.data().sha256().equals(d.sha256())
                                ? cached : ReferenceScale.of(d, calculator(null), config.proxyK()))
                .withCalculator(calculator));
    }

    /** The paper scale from the shipped (classpath) table, for scoring evaluations and stateless requests. */
    public ReferenceScale shippedPaperScale(XScoreCalculator calculator) {
        ReferenceScale scale = shippedPaper;
        if (scale == null) {
            scale = ReferenceScale.of(ReferenceData.paper(), calculator(null), config.proxyK());
            shippedPaper = scale;
        }
        return scale.withCalculator(calculator);
    }

    /** @param datasets null: the reference datasets (paper) or every dataset of the protocol's results */
    public Leaderboard leaderboard(String protocol, Double lambda, List<String> datasets) {
        XScoreCalculator calculator = calculator(lambda);
        boolean paper = Protocols.get(protocol).paper();
        Map<String, Map<String, SeedStatistics>> evaluated =
                LeaderboardBuilder.aggregate(results.succeeded(protocol, paper));
        Optional<ReferenceScale> scale = referenceScale(protocol, calculator);
        if (scale.isPresent()) {
            return LeaderboardBuilder.reference(scale.get(), datasets == null ? scale.get().datasets() : datasets,
                    evaluated);
        }
        return LeaderboardBuilder.recomputed(protocol, paper, calculator, datasets, evaluated);
    }

    /** The model's entries on every protocol's leaderboard (reference entry included), with the board's size. */
    public List<ModelEntry> scoresOf(String model, Double lambda) {
        List<String> protocols = new ArrayList<>(Protocols.names());
        List<ModelEntry> out = new ArrayList<>();
        List<String> withResults = results.protocolsOf(model);
        for (String protocol : protocols) {
            boolean reference = references.load(protocol).map(d -> d.table().models().contains(model)).orElse(false);
            if (!reference && !withResults.contains(protocol)) {
                continue;
            }
            Leaderboard board = leaderboard(protocol, lambda, null);
            long ranked = board.entries().stream().filter(e -> e.rank() != null).count();
            board.entries().stream().filter(e -> e.model().equals(model))
                    .forEach(e -> out.add(new ModelEntry(board.protocol(), board.scale(), board.lambda(),
                            (int) ranked, e)));
        }
        return out;
    }

    /** The model's rows on robustness boards, newest evaluation first. */
    public List<ModelRobustnessEntry> robustnessOf(String model) {
        return scoreSets.withRobustnessOf(model).stream()
                .flatMap(set -> ModelRobustnessEntry.of(set, model).stream()).toList();
    }

    /** One entry of a model with the leaderboard it comes from. */
    public record ModelEntry(String protocol, String scale, double lambda, int rankedModels, Leaderboard.Entry entry) {
    }

    /**
     * The paper's table as it stands: the reference models plus every evaluated paper-protocol model with all
     * reference datasets (an evaluated model named like a reference model is keyed {@code <model> (evaluated)}).
     */
    public AccuracyTable paperTable(ReferenceScale scale) {
        AccuracyTable ref = scale.table();
        AccuracyTable.Builder b = AccuracyTable.builder(ref.datasets());
        for (String m : ref.models()) {
            b.row(m, ref.row(m));
        }
        LeaderboardBuilder.aggregate(results.succeeded(scale.protocol(), true)).forEach((model, stats) -> {
            if (stats.keySet().containsAll(ref.datasets())) {
                Map<String, Double> row = new LinkedHashMap<>();
                ref.datasets().forEach(d -> row.put(d, stats.get(d).mean()));
                b.row(ref.models().contains(model) ? model + " (evaluated)" : model, row);
            }
        });
        return b.build();
    }

    public ProxySubsets proxySubsets(Integer k, Double lambda) {
        XScoreCalculator calculator = calculator(lambda);
        ReferenceScale scale = paperScale(calculator);
        AccuracyTable table = paperTable(scale);
        XScoreTable scores = calculator.score(table, scale.anchors());
        double[] target = scores.models().stream().mapToDouble(ModelXScore::xscore).toArray();
        ProxySearchResult r = ProxySearch.search(table, target, k == null ? config.proxyK() : k);
        return new ProxySubsets(scale.protocol(), calculator.lambda(), calculator.divisor().wireName(), r.k(),
                r.datasets(), r.models(), table.modelCount() - scale.table().modelCount(), r.best(), r.subsets(),
                r.target(), r.proxy(), r.note());
    }

    public record ProxySubsets(String protocol, double lambda, String varianceDivisor, int k, List<String> datasets,
                               List<String> models, int evaluatedModels, SubsetFit best, List<SubsetFit> subsets,
                               Map<String, Double> xscores, Map<String, Double> proxyXscores, String note) {
    }

    public DiagnosticsReport diagnostics(Double lambda) {
        XScoreCalculator calculator = calculator(lambda);
        ReferenceScale scale = paperScale(calculator);
        AccuracyTable table = paperTable(scale);
        XScoreTable scores = calculator.score(table, scale.anchors());
        Map<String, Double> xscores = new LinkedHashMap<>();
        scores.models().forEach(m -> xscores.put(m.model(), m.xscore()));
        return new DiagnosticsReport(scale.protocol(), calculator.lambda(), calculator.divisor().wireName(),
                table.models(), xscores, Diagnostics.correlation(table, scores, "imagenette"),
                Diagnostics.sweep(table, scale.anchors(), calculator.divisor()), Diagnostics.bestWorst(table));
    }

    public record DiagnosticsReport(String protocol, double lambda, String varianceDivisor, List<String> models,
                                    Map<String, Double> xscores, Diagnostics.Correlation imagenetteCorrelation,
                                    Diagnostics.LambdaSweep lambdaSweep, Map<String, Diagnostics.Extremes> bestWorst) {
    }

    private ReferenceScale paperScale(XScoreCalculator calculator) {
        return referenceScale(ReferenceData.PAPER_PROTOCOL, calculator)
                .orElseThrow(() -> new IllegalStateException("the paper reference table is not stored"));
    }
}
