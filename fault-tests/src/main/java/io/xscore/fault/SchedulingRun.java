package io.xscore.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trainer pool on the running local stack: one evaluation of deliberately unequal jobs (ConvMixer sizes from
 * 32/2 to 256/4 on Fashion-MNIST, quick protocol, a fresh seed so nothing is reused), trained by the stack's N trainer
 * processes (the share group). Prints each job's trainer, start, end and duration (from the gateway's view: the job's
 * {@code startedAt} / {@code finishedAt}, or, where the view has none, the times this client first saw the job
 * running and finished, polling every 0.5 s), then makespan ÷ (total job time ÷ N): 1.0 is a perfect packing.
 *
 * <pre>
 * XSCORE_TRAINER_THREADS=1 ./xscore up --trainers 3
 * ./xscore bench scheduling --real        # or:
 * java -cp fault-tests/target/classes io.xscore.fault.SchedulingRun http://127.0.0.1:8080 --trainers 3
 *      [--models convmixer-32-2,...] [--epochs 2] [--train-subset 1000] [--test-subset 500] [--seed N]
 *      [--timeout 1800]
 * </pre>
 * Plain JDK only. Exit status 0 when every job succeeded, 2 otherwise.
 */
public final class SchedulingRun {

    static final List<String> DEFAULT_MODELS = List.of("convmixer-32-2", "convmixer-32-4", "convmixer-48-4",
            "convmixer-64-2", "convmixer-64-4", "convmixer-96-2", "convmixer-96-4", "convmixer-128-2",
            "convmixer-128-4", "convmixer-160-4", "convmixer-192-4", "convmixer-256-4");

    record JobTiming(String jobId, String model, String state, String trainer, Instant start, Instant end,
                     int attempts, String estimate) {

        double seconds() {
            return start == null || end == null ? Double.NaN : Duration.between(start, end).toMillis() / 1000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        String gateway = "http://127.0.0.1:8080";
        int trainers = 3;
        List<String> models = DEFAULT_MODELS;
        int epochs = 2;
        int trainSubset = 1000;
        int testSubset = 500;
        long seed = 100_000 + (System.currentTimeMillis() / 1000) % 800_000;
        long timeout = 1800;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trainers" -> trainers = Integer.parseInt(args[++i]);
                case "--models" -> models = List.of(args[++i].split(","));
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--train-subset" -> trainSubset = Integer.parseInt(args[++i]);
                case "--test-subset" -> testSubset = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--timeout" -> timeout = Long.parseLong(args[++i]);
                default -> {
                    if (args[i].startsWith("--")) {
                        System.err.println("usage: SchedulingRun [GATEWAY_URL] [--trainers N] [--models a,b,...] "
                                + "[--epochs E] [--train-subset N] [--test-subset N] [--seed S] [--timeout SECONDS]");
                        System.exit(1);
                    }
                    gateway = args[i].replaceAll("/+$", "");
                }
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = String.format(Locale.ROOT, "{\"models\":[%s],\"datasets\":[\"fashion-mnist\"],\"seeds\":[%d],"
                + "\"protocol\":\"quick\",\"overrides\":{\"epochs\":%d,\"trainSubset\":%d,\"testSubset\":%d}}",
                String.join(",", models.stream().map(m -> "\"" + m + "\"").toList()), seed, epochs, trainSubset,
                testSubset);
        HttpResponse<String> submitted;
        try {
            submitted = http.send(GatewayToken.authorized(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/evaluations")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("SchedulingRun: " + e + " (is the stack up? ./xscore up --trainers 3)");
            System.exit(1);
            return;
        }
        if (submitted.statusCode() != 202) {
            System.err.println("submission refused: " + submitted.statusCode() + " " + submitted.body());
            System.exit(1);
        }
        String id = (String) ((Map<?, ?>) MiniJson.parse(submitted.body())).get("id");
        Instant submittedAt = Instant.now();
        System.out.printf(Locale.ROOT, "evaluation %s: %d jobs (%s on fashion-mnist, quick, %d epochs, %d/%d images, "
                + "seed %d), %d trainers%n", id, models.size(), "ConvMixer sizes", epochs, trainSubset, testSubset, seed,
                trainers);

        Map<String, Instant> seenRunning = new HashMap<>();
        Map<String, Instant> seenDone = new HashMap<>();
        Map<?, ?> view = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(GatewayToken.authorized(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/evaluations/" + id)))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                view = (Map<?, ?>) MiniJson.parse(r.body());
                Instant now = Instant.now();
                for (Object o : (List<?>) view.get("jobs")) {
                    Map<?, ?> job = (Map<?, ?>) o;
                    String jobId = (String) job.get("jobId");
                    String state = (String) job.get("state");
                    if (!"QUEUED".equals(state)) {
                        seenRunning.putIfAbsent(jobId, now);
                    }
                    if ("SUCCEEDED".equals(state) || "FAILED".equals(state)) {
                        seenDone.putIfAbsent(jobId, now);
                    }
                }
                String status = (String) view.get("status");
                if (List.of("SUCCEEDED", "FAILED", "COMPLETED_WITH_FAILURES", "CANCELLED").contains(status)) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        if (view == null) {
            System.err.println("no view of evaluation " + id);
            System.exit(2);
        }
        List<JobTiming> timings = new ArrayList<>();
        for (Object o : (List<?>) view.get("jobs")) {
            Map<?, ?> job = (Map<?, ?>) o;
            String jobId = (String) job.get("jobId");
            Instant start = instant(job.get("startedAt"), seenRunning.get(jobId));
            Instant end = instant(job.get("finishedAt"), seenDone.get(jobId));
            List<?> attempts = job.get("attempts") instanceof List<?> l ? l : List.of();
            // the trainer of the last attempt (its name); else the result's trainer text up to its details
            String trainer = attempts.isEmpty() ? null
                    : (String) ((Map<?, ?>) attempts.get(attempts.size() - 1)).get("trainer");
            if (trainer == null && job.get("trainer") instanceof String text) {
                trainer = text.contains(" (") ? text.substring(0, text.indexOf(" (")) : text;
            }
            Object estimate = job.get("estimate") instanceof Map<?, ?> e ? e.get("seconds") : null;
            timings.add(new JobTiming(jobId, (String) job.get("model"), (String) job.get("state"), trainer, start, end,
                    attempts.size(), estimate == null ? "-" : String.format(Locale.ROOT, "%.1f",
                    ((Number) estimate).doubleValue())));
        }
        timings.sort(java.util.Comparator.comparing(JobTiming::start, java.util.Comparator.nullsLast(
                java.util.Comparator.naturalOrder())));
        Instant first = timings.stream().map(JobTiming::start).filter(java.util.Objects::nonNull).min(
                java.util.Comparator.naturalOrder()).orElse(submittedAt);
        System.out.printf("%-16s %-10s %-22s %9s %9s %9s %8s %9s%n", "model", "state", "trainer", "start s", "end s",
                "job s", "attempts", "estimate");
        double total = 0;
        Instant last = first;
        boolean allSucceeded = true;
        Map<String, Double> perTrainer = new LinkedHashMap<>();
        for (JobTiming t : timings) {
            allSucceeded &= "SUCCEEDED".equals(t.state());
            if (!Double.isNaN(t.seconds())) {
                total += t.seconds();
                perTrainer.merge(String.valueOf(t.trainer()), t.seconds(), Double::sum);
            }
            if (t.end() != null && t.end().isAfter(last)) {
                last = t.end();
            }
            System.out.printf(Locale.ROOT, "%-16s %-10s %-22s %9.1f %9.1f %9.1f %8d %9s%n", t.model(), t.state(),
                    t.trainer(), t.start() == null ? Double.NaN : secondsBetween(first, t.start()),
                    t.end() == null ? Double.NaN : secondsBetween(first, t.end()), t.seconds(), t.attempts(),
                    t.estimate());
        }
        double makespan = secondsBetween(first, last);
        double ideal = total / trainers;
        System.out.printf(Locale.ROOT, "busy seconds per trainer: %s%n", perTrainer.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())).toList());
        System.out.printf(Locale.ROOT, "makespan %.1f s (first start to last end; %.1f s from submission), total job "
                + "time %.1f s, total / %d trainers = %.1f s, makespan / (total / %d) = %.3f%n", makespan,
                secondsBetween(submittedAt, last), total, trainers, ideal, trainers, makespan / ideal);
        System.exit(allSucceeded ? 0 : 2);
    }

    private static double secondsBetween(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    private static Instant instant(Object fromView, Instant observed) {
        if (fromView instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (java.time.format.DateTimeParseException ignored) {
                // fall back to what was observed
            }
        }
        return observed;
    }

    /** A small JSON reader (objects to LinkedHashMap, arrays to ArrayList, numbers to Double/Long): JDK only. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            MiniJson p = new MiniJson(text);
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) {
                throw new IllegalArgumentException("trailing characters at " + p.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    i += 4;
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    i += 5;
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    i += 4;
                    return null;
                }
                default -> {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }
    }
}
