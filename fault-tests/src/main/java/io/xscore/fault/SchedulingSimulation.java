package io.xscore.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Simulated makespan of the paper's grid on a pool of identical trainers, three ways of handing out jobs:
 *
 * <ul>
 *   <li><b>partitions</b>: the classic consumer group of before issue 11. Jobs are keyed by job id and hashed onto the
 *       topic's partitions the way Kafka's default partitioner does ({@code murmur2(key) & 0x7fffffff % partitions});
 *       each partition is consumed by one trainer (the range assignor: m &lt; partitions gives some trainers two or
 *       more partitions, m &gt; partitions leaves m - partitions trainers with none); a trainer works through its
 *       partitions' jobs one at a time, never taking another partition's.</li>
 *   <li><b>share FIFO</b>: the share group: one queue; whenever a trainer is free it takes the next job in publish
 *       order (list scheduling).</li>
 *   <li><b>share longest-first</b>: the same with the jobs published longest first by their cost estimate (LPT).</li>
 * </ul>
 *
 * <p>Cost of a job, in seconds of one trainer of the 2-core build machine: training images of the dataset
 * ({@link #TRAIN_IMAGES}, as {@code DatasetCatalog}) × epochs of the paper protocol ({@link #EPOCHS}, as
 * {@code protocols/paper-v1.json}) ÷ the model's training throughput at 224 px ({@link #IMAGES_PER_SECOND_224}, the
 * "Training throughput" table of BENCHMARKS.md, Model zoo section; one PyTorch thread, batch 32, CPU). Evaluation
 * passes, data loading and start-up are left out; only ratios are reported, so the machine's speed cancels out.
 *
 * <p>The grid is 11 models × 7 datasets × 3 seeds (231 jobs). Each trial draws new job ids (they are hashes of the
 * protocol, model, dataset, seed and data; new seeds or a new protocol version give new ones: so the partition each
 * job lands on is random) and a random order of models and datasets in the request (the FIFO publish order is the
 * planner's: model, then dataset, then seed). Reported: makespan ÷ ideal, ideal = max(total work ÷ trainers, longest
 * job), a lower bound of any schedule.
 *
 * <pre>
 * java -cp fault-tests/target/classes io.xscore.fault.SchedulingSimulation [--trials 2000] [--seed 1]
 *      [--trainers 4,8,12,24] [--partitions 12]
 * </pre>
 * Plain JDK only.
 */
public final class SchedulingSimulation {

    /** The paper's eleven models (ModelCatalog.BENCHMARK_ELEVEN) and their train img/s at 224 px (BENCHMARKS.md). */
    static final Map<String, Double> IMAGES_PER_SECOND_224 = ordered(
            "convmixer", 4.4, "efficientnet", 10.8, "mobilenet", 12.8, "shufflenet", 23.3, "ghostnet", 8.5,
            "tinynet", 16.1, "mobileone", 9.7, "fbnet", 11.7, "convnext", 66.2, "mobilevit", 6.0, "starnet", 14.6);

    /** The paper's seven datasets (DatasetCatalog.BENCHMARK) and their training-set sizes (DatasetCatalog). */
    static final Map<String, Double> TRAIN_IMAGES = ordered(
            "imagenette", 9_469.0, "cifar10", 50_000.0, "cifar100", 50_000.0, "ham10000", 7_009.0,
            "stanford_dogs", 12_000.0, "mit_indoor67", 5_360.0, "miniplaces", 100_000.0);

    /** Epochs of the paper protocol (paper-v1.json). */
    static final int EPOCHS = 100;
    static final int SEEDS = 3;

    record Job(String id, String model, String dataset, int seed, double cost) {
    }

    /** Where each job ran: trainer, start and end; and each trainer's busy time. */
    record Schedule(String strategy, int trainers, List<Job> jobs, int[] trainerOf, double[] start, double[] end,
                    double[] busy) {

        double makespan() {
            return Arrays.stream(end).max().orElse(0);
        }

        int idleTrainers() {
            return (int) Arrays.stream(busy).filter(b -> b == 0).count();
        }
    }

    private SchedulingSimulation() {
    }

    // ------------------------------------------------------------------ the grid

    static List<Job> paperGrid(Random random) {
        List<String> models = new ArrayList<>(IMAGES_PER_SECOND_224.keySet());
        List<String> datasets = new ArrayList<>(TRAIN_IMAGES.keySet());
        java.util.Collections.shuffle(models, random);
        java.util.Collections.shuffle(datasets, random);
        List<Job> jobs = new ArrayList<>();
        for (String model : models) {
            for (String dataset : datasets) {
                for (int seed = 0; seed < SEEDS; seed++) {
                    jobs.add(new Job(randomJobId(random), model, dataset, seed, cost(model, dataset)));
                }
            }
        }
        return jobs;
    }

    static double cost(String model, String dataset) {
        return TRAIN_IMAGES.get(dataset) * EPOCHS / IMAGES_PER_SECOND_224.get(model);
    }

    static String randomJobId(Random random) {
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    static double ideal(List<Job> jobs, int trainers) {
        double total = jobs.stream().mapToDouble(Job::cost).sum();
        double longest = jobs.stream().mapToDouble(Job::cost).max().orElse(0);
        return Math.max(total / trainers, longest);
    }

    static List<Job> longestFirst(List<Job> jobs) {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingDouble(Job::cost).reversed()); // stable: ties keep publish order
        return sorted;
    }

    // ------------------------------------------------------------------ strategies

    /** Kafka's default partitioner for a keyed record (Utils.toPositive(Utils.murmur2(key)) % partitions). */
    static int partitionOf(String key, int partitions) {
        return (murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % partitions;
    }

    /** Partition p's consumer under the range assignor (one topic): contiguous blocks, the first ones one larger. */
    static int ownerOf(int partition, int partitions, int trainers) {
        if (trainers >= partitions) {
            return partition; // trainers partitions .. trainers-1 get nothing
        }
        int base = partitions / trainers;
        int extra = partitions % trainers; // the first `extra` trainers own base + 1
        int boundary = extra * (base + 1);
        return partition < boundary ? partition / (base + 1) : extra + (partition - boundary) / base;
    }

    /** Classic consumer group: each trainer works through the jobs of its partitions, in publish order. */
    static Schedule partitions(List<Job> publishOrder, int trainers, int partitions) {
        int n = publishOrder.size();
        int[] trainerOf = new int[n];
        double[] start = new double[n];
        double[] end = new double[n];
        double[] free = new double[trainers];
        for (int i = 0; i < n; i++) {
            int t = ownerOf(partitionOf(publishOrder.get(i).id(), partitions), partitions, trainers);
            trainerOf[i] = t;
            start[i] = free[t];
            end[i] = start[i] + publishOrder.get(i).cost();
            free[t] = end[i];
        }
        return new Schedule("partitions", trainers, publishOrder, trainerOf, start, end, busy(publishOrder, trainerOf,
                trainers));
    }

    /** Share group: the next job in publish order goes to the trainer that is free first (lowest index on a tie). */
    static Schedule shareGroup(String strategy, List<Job> publishOrder, int trainers) {
        int n = publishOrder.size();
        int[] trainerOf = new int[n];
        double[] start = new double[n];
        double[] end = new double[n];
        PriorityQueue<double[]> free = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0])
                : Double.compare(a[1], b[1]));
        for (int t = 0; t < trainers; t++) {
            free.add(new double[] {0, t});
        }
        for (int i = 0; i < n; i++) {
            double[] next = free.poll();
            trainerOf[i] = (int) next[1];
            start[i] = next[0];
            end[i] = start[i] + publishOrder.get(i).cost();
            free.add(new double[] {end[i], next[1]});
        }
        return new Schedule(strategy, trainers, publishOrder, trainerOf, start, end, busy(publishOrder, trainerOf,
                trainers));
    }

    private static double[] busy(List<Job> jobs, int[] trainerOf, int trainers) {
        double[] busy = new double[trainers];
        for (int i = 0; i < jobs.size(); i++) {
            busy[trainerOf[i]] += jobs.get(i).cost();
        }
        return busy;
    }

    /** Graham's bound for LPT against the optimum: 4/3 - 1/(3m). */
    static double lptBound(int trainers) {
        return 4.0 / 3.0 - 1.0 / (3.0 * trainers);
    }

    // ------------------------------------------------------------------ the report

    record Stats(double mean, double min, double p50, double p95, double max) {

        static Stats of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            return new Stats(Arrays.stream(v).average().orElse(Double.NaN), v[0], v[(int) Math.floor(0.5 * (v.length - 1))],
                    v[(int) Math.floor(0.95 * (v.length - 1))], v[v.length - 1]);
        }

        String format() {
            return String.format(Locale.ROOT, "%.3f  %.3f  %.3f  %.3f  %.3f", mean, min, p50, p95, max);
        }
    }

    /** Makespan ÷ ideal per strategy and pool size over {@code trials} random grids. */
    static Map<String, Stats> run(int trials, long seed, int[] pool, int partitions, StringBuilder out) {
        Map<String, Stats> results = new LinkedHashMap<>();
        Random random = new Random(seed);
        List<List<Job>> grids = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            grids.add(paperGrid(random));
        }
        List<Job> first = grids.get(0);
        double total = first.stream().mapToDouble(Job::cost).sum();
        double longest = first.stream().mapToDouble(Job::cost).max().orElse(0);
        out.append(String.format(Locale.ROOT, "grid: %d jobs (11 models x 7 datasets x %d seeds, %d epochs), total "
                + "work %.0f trainer-hours, longest job %.0f h (convmixer on miniplaces), shortest %.1f h%n",
                first.size(), SEEDS, EPOCHS, total / 3600, longest / 3600,
                first.stream().mapToDouble(Job::cost).min().orElse(0) / 3600));
        out.append(String.format(Locale.ROOT, "%d random grids (job ids, model and dataset order), %d partitions; "
                + "makespan / ideal: mean  min  p50  p95  max%n", trials, partitions));
        for (int m : pool) {
            double[][] ratios = new double[3][trials];
            int idle = 0;
            for (int i = 0; i < trials; i++) {
                List<Job> grid = grids.get(i);
                double ideal = ideal(grid, m);
                Schedule p = partitions(grid, m, partitions);
                idle = Math.max(idle, p.idleTrainers());
                ratios[0][i] = p.makespan() / ideal;
                ratios[1][i] = shareGroup("share FIFO", grid, m).makespan() / ideal;
                ratios[2][i] = shareGroup("share longest-first", longestFirst(grid), m).makespan() / ideal;
            }
            String[] names = {"partitions", "share FIFO", "share longest-first"};
            double ideal = ideal(first, m);
            out.append(String.format(Locale.ROOT, "  %2d trainers (ideal %.0f h; LPT bound 4/3-1/(3m) = %.3f)%n", m,
                    ideal / 3600, lptBound(m)));
            for (int s = 0; s < 3; s++) {
                Stats stats = Stats.of(ratios[s]);
                results.put(m + " " + names[s], stats);
                out.append(String.format(Locale.ROOT, "    %-20s %s%s%n", names[s], stats.format(),
                        s == 0 && idle > 0 ? "   (" + idle + " trainers never get a job)" : ""));
            }
        }
        return results;
    }

    public static void main(String[] args) {
        int trials = 2000;
        long seed = 1;
        int partitions = 12;
        int[] pool = {4, 8, 12, 24};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--trainers" -> pool = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    System.err.println("usage: SchedulingSimulation [--trials N] [--seed S] [--trainers 4,8,12,24] "
                            + "[--partitions 12]");
                    System.exit(1);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Cost model: train images x ").append(EPOCHS)
                .append(" epochs / train img/s at 224 px (BENCHMARKS.md, Model zoo, Training throughput):\n");
        IMAGES_PER_SECOND_224.forEach((m, r) -> out.append(String.format(Locale.ROOT, "  %-13s %5.1f img/s%n", m, r)));
        out.append("  datasets: ");
        TRAIN_IMAGES.forEach((d, n) -> out.append(String.format(Locale.ROOT, "%s %,.0f  ", d, n)));
        out.append('\n');
        run(trials, seed, pool, partitions, out);
        System.out.print(out);
    }

    // ------------------------------------------------------------------ helpers

    /** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), copied so this class needs only the JDK. */
    static int murmur2(byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = seed ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
            case 2: // fall through
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
            case 1: // fall through
                h ^= data[length & ~3] & 0xff;
                h *= m;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    private static Map<String, Double> ordered(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return map;
    }
}
