package io.xscore.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.catalog.DatasetInfo;
import io.xscore.common.catalog.ModelCatalog;
import io.xscore.common.json.Json;
import io.xscore.fault.SchedulingSimulation.Job;
import io.xscore.fault.SchedulingSimulation.Schedule;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** The scheduling simulator's inputs match the catalogs it cites, and its schedules keep the invariants. */
class SchedulingSimulationTest {

    private static final double EPS = 1e-6;

    @Test
    void costModelInputsAreTheCatalogs() throws Exception {
        assertEquals(ModelCatalog.BENCHMARK_ELEVEN, List.copyOf(SchedulingSimulation.IMAGES_PER_SECOND_224.keySet()));
        assertEquals(DatasetCatalog.BENCHMARK, List.copyOf(SchedulingSimulation.TRAIN_IMAGES.keySet()));
        for (String dataset : DatasetCatalog.BENCHMARK) {
            DatasetInfo info = DatasetCatalog.find(dataset).orElseThrow();
            assertEquals(info.trainImages(), SchedulingSimulation.TRAIN_IMAGES.get(dataset), EPS, dataset);
        }
        try (InputStream in = DatasetCatalog.class.getResourceAsStream("/protocols/paper-v1.json")) {
            JsonNode protocol = Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(protocol.path("epochs").asInt(), SchedulingSimulation.EPOCHS);
        }
    }

    @Test
    void partitionerIsKafkas() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String id = SchedulingSimulation.randomJobId(random);
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            assertEquals(Utils.toPositive(Utils.murmur2(key)) % 12, SchedulingSimulation.partitionOf(id, 12), id);
        }
    }

    @Test
    void rangeAssignorCoversEveryPartitionOnce() {
        for (int m = 1; m <= 30; m++) {
            int[] owned = new int[m];
            for (int p = 0; p < 12; p++) {
                int owner = SchedulingSimulation.ownerOf(p, 12, m);
                assertTrue(owner >= 0 && owner < m, "partition " + p + " owner " + owner + " of " + m);
                owned[owner]++;
            }
            int min = Arrays.stream(owned).min().orElse(0);
            int max = Arrays.stream(owned).max().orElse(0);
            assertTrue(m > 12 ? max == 1 && min == 0 : max - min <= 1, m + " trainers: " + Arrays.toString(owned));
        }
    }

    @Test
    void everyScheduleIsValidAndNoBetterThanIdeal() {
        Random random = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            List<Job> grid = SchedulingSimulation.paperGrid(random);
            assertEquals(231, grid.size());
            for (int m : new int[] {1, 4, 8, 12, 24}) {
                double ideal = SchedulingSimulation.ideal(grid, m);
                double longest = grid.stream().mapToDouble(Job::cost).max().orElseThrow();
                double total = grid.stream().mapToDouble(Job::cost).sum();
                for (Schedule s : List.of(SchedulingSimulation.partitions(grid, m, 12),
                        SchedulingSimulation.shareGroup("fifo", grid, m),
                        SchedulingSimulation.shareGroup("lpt", SchedulingSimulation.longestFirst(grid), m))) {
                    assertValid(s, total);
                    assertTrue(s.makespan() >= ideal - EPS, s.strategy() + " beat the lower bound");
                    if (!s.strategy().equals("partitions")) {
                        // Graham: list scheduling finishes by total/m + (1 - 1/m) * longest.
                        assertTrue(s.makespan() <= total / m + (1 - 1.0 / m) * longest + EPS, s.strategy());
                        // A share-group trainer is never idle while a job waits: no start after another job's end
                        // unless every trainer was busy then.
                        assertNoIdleWhileQueued(s);
                    }
                }
                Schedule lpt = SchedulingSimulation.shareGroup("lpt", SchedulingSimulation.longestFirst(grid), m);
                // Graham's LPT argument against the lower bound: the job that ends last is no longer than ideal/3
                // => makespan <= (4/3 - 1/(3m)) ideal; otherwise at most two jobs share a trainer and LPT is optimal.
                int last = argMax(lpt.end());
                if (lpt.jobs().get(last).cost() <= ideal / 3) {
                    assertTrue(lpt.makespan() <= SchedulingSimulation.lptBound(m) * ideal + EPS,
                            m + " trainers: LPT " + lpt.makespan() / ideal + " x ideal");
                }
            }
        }
    }

    @Test
    void longestFirstWithinGrahamsBoundOfTheOptimum() {
        // Small random instances, where the optimum is found by brute force.
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int m = 2 + random.nextInt(2);
            int n = m + 1 + random.nextInt(7);
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(new Job("j" + i, "m", "d", 0, 1 + random.nextInt(20)));
            }
            double opt = optimum(jobs.stream().mapToDouble(Job::cost).toArray(), m);
            double lpt = SchedulingSimulation.shareGroup("lpt", SchedulingSimulation.longestFirst(jobs), m).makespan();
            assertTrue(lpt <= SchedulingSimulation.lptBound(m) * opt + EPS, "LPT " + lpt + " vs optimum " + opt);
            assertTrue(lpt >= opt - EPS);
        }
    }

    @Test
    void partitionModeLeavesTrainersBeyondThePartitionCountIdle() {
        List<Job> grid = SchedulingSimulation.paperGrid(new Random(5));
        Schedule twelve = SchedulingSimulation.partitions(grid, 12, 12);
        Schedule twentyFour = SchedulingSimulation.partitions(grid, 24, 12);
        assertTrue(twentyFour.idleTrainers() >= 12, "idle: " + twentyFour.idleTrainers());
        assertEquals(twelve.makespan(), twentyFour.makespan(), EPS, "12 more trainers changed nothing");
        Schedule share = SchedulingSimulation.shareGroup("fifo", grid, 24);
        assertEquals(0, share.idleTrainers());
        assertTrue(share.makespan() < twentyFour.makespan());
    }

    @Test
    void reportRuns() {
        StringBuilder out = new StringBuilder();
        var results = SchedulingSimulation.run(50, 1, new int[] {4, 24}, 12, out);
        assertTrue(out.toString().contains("share longest-first"), out.toString());
        assertTrue(results.get("24 share longest-first").mean() < results.get("24 partitions").mean(), out.toString());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertValid(Schedule s, double total) {
        int n = s.jobs().size();
        double busy = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(s.jobs().get(i).cost(), s.end()[i] - s.start()[i], EPS);
            assertTrue(s.start()[i] >= 0);
            assertTrue(s.trainerOf()[i] >= 0 && s.trainerOf()[i] < s.trainers());
        }
        for (double b : s.busy()) {
            busy += b;
        }
        assertEquals(total, busy, total * 1e-9, "every job exactly once");
        // No two jobs of one trainer overlap.
        for (int t = 0; t < s.trainers(); t++) {
            final int trainer = t;
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (s.trainerOf()[i] == trainer) {
                    mine.add(i);
                }
            }
            mine.sort(Comparator.comparingDouble(i -> s.start()[i]));
            for (int k = 1; k < mine.size(); k++) {
                assertTrue(s.start()[mine.get(k)] >= s.end()[mine.get(k - 1)] - EPS, "overlap on trainer " + t);
            }
        }
    }

    private static void assertNoIdleWhileQueued(Schedule s) {
        int n = s.jobs().size();
        for (int i = 0; i < n; i++) {
            double t = s.start()[i];
            // at time t (exclusive of jobs ending exactly then), every trainer must be busy or starting job i
            int busy = 0;
            for (int j = 0; j < n; j++) {
                if (s.start()[j] < t - EPS && s.end()[j] > t + EPS) {
                    busy++;
                }
            }
            assertTrue(busy < s.trainers(), "job " + i + " waited while a trainer was free");
        }
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double optimum(double[] costs, int m) {
        double[] load = new double[m];
        return search(costs, 0, load, Double.MAX_VALUE);
    }

    private static double search(double[] costs, int i, double[] load, double best) {
        if (i == costs.length) {
            return Math.min(best, Arrays.stream(load).max().orElse(0));
        }
        for (int t = 0; t < load.length; t++) {
            if (load[t] + costs[i] >= best) {
                continue;
            }
            load[t] += costs[i];
            best = search(costs, i + 1, load, best);
            load[t] -= costs[i];
            if (load[t] == 0) {
                break; // symmetric empty trainers
            }
        }
        return best;
    }
}
