package io.xscore.scoring.xscore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The calculator on the paper's 11 × 7 reference table (anchors recomputed from it, which are the paper's fixed
 * anchors), against an independent direct computation, and against values computed separately with Python's
 * statistics module (statistics.variance, i.e. divisor D − 1).
 */
class ReferenceTableTest {

    private static List<String> datasets;
    private static Map<String, double[]> rows;

    @BeforeAll
    static void load() throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ReferenceTableTest.class.getResourceAsStream("/reference/paper-v1/reference-accuracies.csv"), StandardCharsets.UTF_8))) {
            List<String> lines = in.lines().filter(l -> !l.isBlank()).toList();
            String[] header = lines.get(0).split(",");
            datasets = List.of(Arrays.copyOfRange(header, 1, header.length));
            rows = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                rows.put(cells[0], Arrays.stream(cells, 1, cells.length).mapToDouble(Double::parseDouble).toArray());
            }
        }
        assertEquals(7, datasets.size());
        assertEquals(11, rows.size());
    }

    private static AccuracyTable table() {
        AccuracyTable.Builder b = AccuracyTable.builder(datasets);
        rows.forEach(b::row);
        return b.build();
    }

    @ParameterizedTest
    @CsvSource({"0, SAMPLE", "0.25, SAMPLE", "0.5, SAMPLE", "0.75, SAMPLE", "1, SAMPLE", "2, SAMPLE",
            "0.5, POPULATION"})
    void matchesADirectComputation(double lambda, VarianceDivisor divisor) {
        XScoreTable t = new XScoreCalculator(lambda, divisor).scoreRecomputed(table());
        int d = datasets.size();
        double[] min = new double[d];
        double[] max = new double[d];
        Arrays.fill(min, Double.MAX_VALUE);
        Arrays.fill(max, -Double.MAX_VALUE);
        for (double[] r : rows.values()) {
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], r[j]);
                max[j] = Math.max(max[j], r[j]);
            }
        }
        List<Double> expectedX = new ArrayList<>();
        for (var e : rows.entrySet()) {
            double sum = 0;
            double[] n = new double[d];
            for (int j = 0; j < d; j++) {
                n[j] = (e.getValue()[j] - min[j]) / (max[j] - min[j]);
                sum += n[j];
            }
            double g = sum / d;
            double ss = 0;
            for (double v : n) {
                ss += (v - g) * (v - g);
            }
            double var = ss / (divisor == VarianceDivisor.SAMPLE ? d - 1 : d);
            ModelXScore m = t.model(e.getKey()).orElseThrow();
            assertEquals(g, m.g(), 1e-9, e.getKey());
            assertEquals(var, m.v(), 1e-9, e.getKey());
            assertEquals(g - lambda * var, m.xscore(), 1e-9, e.getKey());
            expectedX.add(g - lambda * var);
        }
        // rank = 1 + number of models with a strictly higher xScore (no ties in this table)
        for (var e : rows.keySet()) {
            double x = t.model(e).orElseThrow().xscore();
            long better = expectedX.stream().filter(o -> o > x + 1e-12).count();
            assertEquals((int) (1 + better), (int) t.model(e).orElseThrow().rank(), e);
        }
    }

    @Test
    void paperAnchorsAndPythonValues() {
        XScoreTable t = XScoreCalculator.defaults().scoreRecomputed(table());
        assertEquals(new Anchors.Range(76.05, 89.25), t.anchors().range("imagenette"));
        assertEquals(new Anchors.Range(29.59, 63.78), t.anchors().range("stanford_dogs"));
        ModelXScore best = t.model("efficientnet").orElseThrow();
        assertEquals(0.964412318741789, best.g(), 1e-12);
        assertEquals(0.004926562738266, best.v(), 1e-12);
        assertEquals(0.961949037372656, best.xscore(), 1e-12);
        assertEquals(1, best.rank());
        ModelXScore worst = t.model("convnext").orElseThrow();
        assertEquals(0.069943342868880, worst.xscore(), 1e-12);
        assertEquals(11, worst.rank());
        assertEquals(10, t.model("tinynet").orElseThrow().rank());
        assertEquals(2, t.model("convmixer").orElseThrow().rank());
    }
}
