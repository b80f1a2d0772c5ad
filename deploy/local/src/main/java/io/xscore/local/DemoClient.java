package io.xscore.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo's client: submits an evaluation to the gateway, follows its jobs' progress, and prints the accuracy table
 * and the xScores. Only talks to the gateway's public REST API, like any user would.
 */
@Command(name = "xscore-demo", mixinStandardHelpOptions = true,
        description = "Submit an evaluation, follow it and print the results")
public class DemoClient implements Callable<Integer> {

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8080")
    String gateway;

    @Option(names = "--models", split = ",", defaultValue = "convmixer-32-4,convmixer-64-4,convmixer-128-4")
    List<String> models;

    @Option(names = "--datasets", split = ",", defaultValue = "fashion-mnist,synthetic-shapes")
    List<String> datasets;

    @Option(names = "--seeds", split = ",", defaultValue = "0")
    List<Long> seeds;

    @Option(names = "--protocol", defaultValue = "quick")
    String protocol;

    @Option(names = "--override", description = "protocol override key=value (non-paper protocols only)")
    Map<String, Integer> overrides = new LinkedHashMap<>();

    @Option(names = "--suites", split = ",", description = "robustness suites to run on every job's final weights: "
            + "low-resolution, corruptions, pgd (defaults of each: docs/robustness.md)")
    List<String> suites = new ArrayList<>();

    @Option(names = "--robustness-images", defaultValue = "200",
            description = "test images per dataset the suites evaluate (class-stratified, seeded)")
    int robustnessImages;

    @Option(names = "--timeout", description = "ISO-8601 duration (default PT15M, PT45M with --suites: every job "
            + "then also runs its suites)")
    Duration timeout;

    /** A submitter's bearer token; ./xscore demo passes one made by the local stack's issuer in XSCORE_TOKEN. */
    @Option(names = "--token", defaultValue = "${env:XSCORE_TOKEN}", description = "bearer token (env XSCORE_TOKEN)")
    String token;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A request to the gateway, with the token when there is one (a stack with authentication off needs none). */
    private HttpRequest.Builder request(String uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri));
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token.strip());
        }
        return builder;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoClient()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("models", Json.MAPPER.valueToTree(models));
        body.set("datasets", Json.MAPPER.valueToTree(datasets));
        body.set("seeds", Json.MAPPER.valueToTree(seeds));
        body.put("protocol", protocol);
        if (!overrides.isEmpty()) {
            body.set("overrides", Json.MAPPER.valueToTree(overrides));
        }
        if (!suites.isEmpty()) {
            ObjectNode robustness = body.putObject("robustness");
            robustness.set("suites", Json.MAPPER.valueToTree(suites));
            robustness.put("images", robustnessImages);
        }
        System.out.println("POST " + gateway + "/api/v1/evaluations " + body);
        HttpResponse<String> submitted = http.send(request(gateway + "/api/v1/evaluations")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (submitted.statusCode() / 100 != 2) {
            System.err.println("rejected: HTTP " + submitted.statusCode() + " " + submitted.body());
            return 2;
        }
        JsonNode accepted = Json.MAPPER.readTree(submitted.body());
        String id = accepted.path("id").asText();
        String location = gateway + "/api/v1/evaluations/" + id;
        System.out.println("accepted: " + location);
        accepted.path("warnings").forEach(w -> System.out.println("warning: " + w.asText()));
        System.out.println();

        Duration wait = timeout != null ? timeout : suites.isEmpty() ? Duration.ofMinutes(15) : Duration.ofMinutes(45);
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, String> lastLine = new HashMap<>();
        JsonNode view;
        while (true) {
            view = Json.MAPPER.readTree(http.send(request(location).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode job : view.path("jobs")) {
                String line = progressLine(job, view.hasNonNull("robustness"));
                if (!line.equals(lastLine.put(job.path("jobId").asText(), line))) {
                    System.out.println(line);
                }
            }
            String status = view.path("status").asText();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")
                    || status.equals("COMPLETED_WITH_FAILURES") && view.path("scores").path("complete").asBoolean(false)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("timed out after " + wait + " with status " + status);
                return 3;
            }
            Thread.sleep(2000);
        }
        printTables(view);
        return view.path("status").asText().equals("SUCCEEDED") ? 0 : 1;
    }

    static String progressLine(JsonNode job, boolean suites) {
        String name = String.format(Locale.ROOT, "%-16s %-18s seed %-3s", job.path("model").asText(),
                job.path("dataset").asText(), job.path("seed").asText());
        String state = job.path("state").asText();
        if (job.path("reused").asBoolean()) {
            return name + " reused: finished earlier with test accuracy " + fmt(job.path("finalTestAccuracy")) + " %";
        }
        boolean epochsDone = job.path("epochs").isNumber() && job.path("epoch").asInt() == job.path("epochs").asInt();
        if (suites && state.equals("RUNNING") && epochsDone) {
            // the last epoch is over: a job with robustness suites runs them now (heartbeats carry their ETA)
            return name + String.format(Locale.ROOT, " epoch %s/%s done, test acc %s %%; robustness suites, eta %s s",
                    job.path("epoch").asText(), job.path("epochs").asText(), fmt(job.path("testAccuracy")),
                    fmt0(job.path("etaSeconds")));
        }
        return switch (state) {
            case "RUNNING" -> name + String.format(Locale.ROOT, " epoch %s/%s  loss %s  test acc %s %%  %s img/s  eta %s s",
                    job.path("epoch").asText("0"), job.path("epochs").asText("?"), fmt(job.path("trainLoss")),
                    fmt(job.path("testAccuracy")), fmt0(job.path("imagesPerSecond")), fmt0(job.path("etaSeconds")));
            case "SUCCEEDED" -> name + String.format(Locale.ROOT, " done: test accuracy %s %% (%s params, %s s)",
                    fmt(job.path("finalTestAccuracy")), job.path("parameterCount").asText("?"), fmt0(job.path("wallSeconds")));
            case "FAILED" -> name + " FAILED: " + job.path("failureReason").asText();
            default -> name + " " + state.toLowerCase(Locale.ROOT);
        };
    }

    static void printTables(JsonNode view) {
        List<String> datasets = new ArrayList<>();
        view.path("datasets").forEach(d -> datasets.add(d.asText()));
        JsonNode scores = view.path("scores");
        System.out.printf(Locale.ROOT, "%nEvaluation %s: %s, protocol %s%s%n", view.path("id").asText(),
                view.path("status").asText(), view.path("protocol").asText(),
                view.path("paperProtocol").asBoolean() ? " (paper protocol)"
                        : " (NOT the paper protocol: scores are on their own scale, never comparable to the paper's)");
        System.out.printf(Locale.ROOT, "%nTest accuracy (%%, mean over seeds)%n%-18s", "model");
        datasets.forEach(d -> System.out.printf(Locale.ROOT, " %18s", d));
        System.out.println();
        Map<String, Map<String, List<Double>>> acc = new LinkedHashMap<>();
        for (JsonNode job : view.path("jobs")) {
            if (job.path("finalTestAccuracy").isNumber()) {
                acc.computeIfAbsent(job.path("model").asText(), m -> new HashMap<>())
                        .computeIfAbsent(job.path("dataset").asText(), d -> new ArrayList<>())
                        .add(job.path("finalTestAccuracy").asDouble());
            }
        }
        view.path("models").forEach(m -> {
            System.out.printf(Locale.ROOT, "%-18s", m.asText());
            for (String d : datasets) {
                List<Double> values = acc.getOrDefault(m.asText(), Map.of()).getOrDefault(d, List.of());
                System.out.printf(Locale.ROOT, " %18s", values.isEmpty() ? "-"
                        : String.format(Locale.ROOT, "%.2f", values.stream().mapToDouble(x -> x).average().orElse(0)));
            }
            System.out.println();
        });
        if (scores.isMissingNode() || scores.isNull()) {
            System.out.println("\nNo scores yet.");
            return;
        }
        System.out.printf(Locale.ROOT, "%nxScore (scale: %s anchors, lambda %.2f, %s variance)%n%-18s %8s %8s %8s %5s%n",
                scores.path("scale").asText(), scores.path("lambda").asDouble(), scores.path("varianceDivisor").asText(),
                "model", "G", "V", "xScore", "rank");
        for (JsonNode s : scores.path("scores")) {
            System.out.printf(Locale.ROOT, "%-18s %8s %8s %8s %5s%s%n", s.path("model").asText(), fmt4(s.path("g")),
                    fmt4(s.path("v")), fmt4(s.path("xscore")), s.path("rank").asText("-"),
                    s.hasNonNull("note") ? "  " + s.path("note").asText() : "");
        }
        if (scores.hasNonNull("note")) {
            System.out.println("note: " + scores.path("note").asText());
        }
        RobustnessTables.print(scores.path("robustness"), datasets);
    }

    private static String fmt(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble()) : "-";
    }

    private static String fmt0(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.0f", n.asDouble()) : "-";
    }

    private static String fmt4(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "-";
    }
}
