package io.xscore.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loopback load benchmark of the gateway's API against a running stack ({@code ./xscore up}): N concurrent clients
 * each submit evaluations and read evaluation views for a fixed time, and the latency percentiles of both and the
 * error count are printed.
 *
 * <p>The trainer is not swamped: a seed evaluation of one tiny job (ConvMixer-16/1 on synthetic shapes, 2 epochs on
 * 64 images) is run first, and every benchmark submission asks for that same job under a client-chosen evaluation id,
 * so the planner reuses the finished job and no training is queued. What is measured is the gateway: validation, the
 * MongoDB insert, the Kafka publish and acknowledgement (submissions), and assembling the view from MongoDB (reads).
 *
 * <pre>
 * java -cp fault-tests/target/classes io.xscore.fault.LoadBenchmark http://127.0.0.1:8080 [--clients 8]
 *      [--duration 30] [--reads 4] [--seed 9000]
 * </pre>
 *
 * Plain JDK only (no dependencies), so it runs from the compiled classes. Exit status 0, or 2 when any request
 * failed (non-2xx answer, timeout or connection error).
 */
public final class LoadBenchmark {

    /** @param reads evaluation-view reads per submission (each client alternates: one submission, then reads) */
    public record Options(String gateway, int clients, Duration duration, int reads, long seed, Duration timeout) {

        public static Options parse(String[] args) {
            String gateway = null;
            int clients = 8;
            int seconds = 30;
            int reads = 4;
            long seed = 9000;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--gateway" -> gateway = args[++i];
                    case "--clients" -> clients = Integer.parseInt(args[++i]);
                    case "--duration" -> seconds = Integer.parseInt(args[++i]);
                    case "--reads" -> reads = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "-h", "--help" -> throw new IllegalArgumentException("usage");
                    default -> {
                        if (args[i].startsWith("--") || gateway != null) {
                            throw new IllegalArgumentException("unknown argument " + args[i]);
                        }
                        gateway = args[i];
                    }
                }
            }
            if (gateway == null) {
                gateway = "http://127.0.0.1:8080";
            }
            if (clients < 1 || seconds < 1 || reads < 0) {
                throw new IllegalArgumentException("--clients and --duration must be at least 1, --reads at least 0");
            }
            return new Options(gateway.replaceAll("/+$", ""), clients, Duration.ofSeconds(seconds), reads, seed,
                    Duration.ofSeconds(30));
        }
    }

    /** Latencies in milliseconds and errors by kind. */
    public record Result(double[] submitMillis, double[] readMillis, Map<String, Integer> errors, double seconds) {

        public int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }

        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-11s %8s %9s %9s %9s %9s %9s%n", "", "count", "per s", "p50 ms", "p95 ms",
                    "p99 ms", "max ms"));
            line(sb, "submission", submitMillis);
            line(sb, "read", readMillis);
            sb.append(String.format("errors: %d%s%n", errorCount(), errors.isEmpty() ? "" : " " + errors));
            return sb.toString();
        }

        private void line(StringBuilder sb, String what, double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            sb.append(String.format("%-11s %8d %9.1f %9.1f %9.1f %9.1f %9.1f%n", what, v.length, v.length / seconds,
                    percentile(v, 50), percentile(v, 95), percentile(v, 99), v.length == 0 ? Double.NaN : v[v.length - 1]));
        }
    }

    /** Nearest-rank percentile of sorted values (NaN when empty). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private final Options options;
    private final HttpClient http;

    public LoadBenchmark(Options options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(Math.max(2, options.clients()), daemons("bench-http"))).build();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().equals("usage") ? "" : e.getMessage() + "\n")
                    + "usage: LoadBenchmark [GATEWAY_URL] [--clients N] [--duration SECONDS] [--reads N] [--seed N]");
            System.exit(1);
            return;
        }
        Result result;
        try {
            result = new LoadBenchmark(options).run();
        } catch (java.io.IOException | IllegalStateException e) {
            System.err.println("LoadBenchmark: " + e + " (is the stack up? ./xscore up; the gateway URL is the first "
                    + "argument)");
            System.exit(1);
            return;
        }
        System.out.print(result.report());
        System.exit(result.errorCount() == 0 ? 0 : 2);
    }

    String body(String evaluationId) {
        return "{" + (evaluationId == null ? "" : "\"evaluationId\":\"" + evaluationId + "\",")
                + "\"models\":[\"convmixer-16-1\"],\"datasets\":[\"synthetic-shapes\"],\"seeds\":[" + options.seed()
                + "],\"protocol\":\"quick\",\"overrides\":{\"epochs\":2,\"trainSubset\":64,\"testSubset\":32}}";
    }

    /** Runs the seed evaluation (its job is then reused by every submission), then the timed load. */
    public Result run() throws Exception {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("LoadBenchmark: %s, %d clients, %d s, %d reads per submission%n", options.gateway(),
                options.clients(), options.duration().toSeconds(), options.reads());
        String seedId = "bench-" + runId + "-seed";
        HttpResponse<String> seeded = post(body(seedId));
        if (seeded.statusCode() != 202 && seeded.statusCode() != 200) {
            throw new IllegalStateException("seed evaluation refused: HTTP " + seeded.statusCode() + " "
                    + seeded.body());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String status = "";
        while (!List.of("SUCCEEDED", "COMPLETED_WITH_FAILURES", "FAILED", "CANCELLED").contains(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("seed evaluation " + seedId + " not finished in 10 minutes: " + status);
            }
            Thread.sleep(500);
            Matcher m = STATUS.matcher(get(seedId).body());
            status = m.find() ? m.group(1) : "";
        }
        System.out.printf("seed evaluation %s: %s (its job is reused by every submission)%n", seedId, status);

        List<double[]> submits = new ArrayList<>();
        List<double[]> reads = new ArrayList<>();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicInteger counter = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(options.clients(), daemons("bench-client"));
        CountDownLatch start = new CountDownLatch(1);
        long t0 = System.nanoTime();
        long end = t0 + options.duration().toNanos();
        List<java.util.concurrent.Future<double[][]>> futures = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            int client = c;
            futures.add(clients.submit(() -> {
                start.await();
                Samples sub = new Samples();
                Samples rd = new Samples();
                String last = seedId;
                while (System.nanoTime() < end) {
                    String id = "bench-" + runId + "-" + client + "-" + counter.incrementAndGet();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = post(body(id));
                        sub.add((System.nanoTime() - s) / 1e6);
                        if (r.statusCode() == 202 || r.statusCode() == 200) {
                            last = id;
                        } else {
                            errors.merge("submit HTTP " + r.statusCode(), 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        errors.merge("submit " + e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                    for (int i = 0; i < options.reads() && System.nanoTime() < end; i++) {
                        long rs = System.nanoTime();
                        try {
                            HttpResponse<String> r = get(last);
                            rd.add((System.nanoTime() - rs) / 1e6);
                            if (r.statusCode() != 200) {
                                errors.merge("read HTTP " + r.statusCode(), 1, Integer::sum);
                            }
                        } catch (IOException e) {
                            errors.merge("read " + e.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    }
                }
                return new double[][] {sub.values(), rd.values()};
            }));
        }
        start.countDown();
        for (var f : futures) {
            double[][] r = f.get(options.duration().toSeconds() + options.timeout().toSeconds() * (options.reads() + 2),
                    TimeUnit.SECONDS);
            submits.add(r[0]);
            reads.add(r[1]);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        clients.shutdownNow();
        return new Result(concat(submits), concat(reads), new TreeMap<>(errors), seconds);
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(GatewayToken.authorized(HttpRequest.newBuilder(URI.create(options.gateway() + "/api/v1/evaluations")))
                .timeout(options.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String id) throws IOException, InterruptedException {
        return http.send(GatewayToken.authorized(HttpRequest.newBuilder(URI.create(options.gateway() + "/api/v1/evaluations/" + id)))
                .timeout(options.timeout()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(Arrays::stream).toArray();
    }

    /** A growable array of latencies. */
    private static final class Samples {
        private double[] values = new double[1024];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] values() {
            return Arrays.copyOf(values, size);
        }
    }

    private static java.util.concurrent.ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
