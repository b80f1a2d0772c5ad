package io.xscore.kubeplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local Kubernetes overlay (deploy/k8s/overlays/local) run as it is by {@code podman kube play}: builds the images
 * it needs ({@code ./xscore images --local-base --only ...}: the base image is reused, the service images take about
 * half a minute), renders the overlay with kustomize, plays it, waits until the gateway and the trainer are ready,
 * submits a quick evaluation of two tiny ConvMixers on a synthetic dataset through the gateway's REST API and waits for
 * its xScores. Everything it played is taken down, and the overlay's volumes removed, also when it fails; the
 * containers' logs are kept in target/kube-play/logs. Skipped when podman is missing or this is not root (podman here
 * runs rootful: runc, cgroupfs). How to run it by hand: README.md.
 */
class KubePlayIT {

    static final Path ROOT = Path.of(System.getProperty("xscore.root", "../..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("xscore.version", "0.1.0-SNAPSHOT");
    static final Path WORK = Path.of(System.getProperty("xscore.kubeplay.work", "target/kube-play")).toAbsolutePath();
    static final Path OVERLAY = ROOT.resolve("deploy/k8s/overlays/local");
    static final Path CONTAINERS_CONF = ROOT.resolve("deploy/images/containers.conf");
    static final String IMAGES = "gateway,scoring-service,dataset-service,trainer-service,local-stack";
    // The overlay's ports (deploy/k8s/overlays/local: every pod on the host network, 127.0.0.1; below the ephemeral
    // port range, so that no client's outgoing connection holds one of them when its server starts).
    static final int GATEWAY = 18080;
    static final int TRAINER = 18083;
    static final int[] PORTS = {18080, 18081, 18082, 18083, 18092, 18093, 18017};
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    static Path rendered;
    static boolean played;
    static final List<String> PVCS = new ArrayList<>();
    static final List<String> PODS = new ArrayList<>();

    @BeforeAll
    static void play() throws Exception {
        assumeTrue(run(Duration.ofSeconds(30), null, "podman", "--version").rc() == 0,
                "podman is not installed: the kube-play test needs it (apt-get install podman runc, or ./xscore test as root)");
        assumeTrue("0".equals(run(Duration.ofSeconds(10), null, "id", "-u").out().trim()),
                "not root: the kube-play test runs podman rootful (runc, cgroupfs; deploy/images/containers.conf)");
        Files.createDirectories(WORK.resolve("logs"));

        // The images (the CUDA image is not needed here); the reactor has packaged the services already.
        long t0 = System.nanoTime();
        Result images = run(Duration.ofMinutes(20), WORK.resolve("images.log"), ROOT.resolve("xscore").toString(),
                "images", "--local-base", "--only", IMAGES);
        assertEquals(0, images.rc(), "./xscore images failed (" + WORK.resolve("images.log") + "):\n" + tail(images.out()));
        log("images built in %d s", (System.nanoTime() - t0) / 1_000_000_000);

        Path kustomize = Kustomize.binary(WORK);
        Result build = run(Duration.ofMinutes(2), null, kustomize.toString(), "build", OVERLAY.toString());
        assertEquals(0, build.rc(), "kustomize build " + OVERLAY + " failed:\n" + build.out());
        rendered = WORK.resolve("local.yaml");
        Files.writeString(rendered, build.out());
        inspect(build.out());

        // Leftovers of an aborted earlier run first, then the ports must be free.
        down();
        for (int port : PORTS) {
            assertTrue(!listening(port), "port " + port + " on 127.0.0.1 is taken: the local overlay needs "
                    + "18080-18083, 18092, 18093 and 18017 (another stack, or a kube play not taken down: podman pod ps)");
        }
        played = true;
        Result play = run(Duration.ofMinutes(3), WORK.resolve("play.log"), "podman", "kube", "play", rendered.toString());
        assertEquals(0, play.rc(), "podman kube play failed:\n" + tail(play.out()));
        log("played %s: pods %s", rendered, PODS);
    }

    @AfterAll
    static void down() throws Exception {
        if (rendered == null || (!played && PODS.isEmpty())) {
            return;
        }
        if (played) {
            Result ps = run(Duration.ofSeconds(30), null, "podman", "ps", "-a", "--format", "{{.Names}}");
            for (String name : ps.out().split("\n")) {
                if (!name.isBlank() && !name.endsWith("-infra") && PODS.stream().anyMatch(name::startsWith)) {
                    run(Duration.ofSeconds(30), WORK.resolve("logs").resolve(name + ".log"), "podman", "logs", name);
                }
            }
        }
        run(Duration.ofMinutes(3), WORK.resolve("down.log"), "podman", "kube", "down", rendered.toString());
        for (String pod : PODS) { // kube down leaves nothing behind normally; a half-played pod may remain
            run(Duration.ofMinutes(1), null, "podman", "pod", "rm", "-f", "--ignore", pod + "-pod-0");
        }
        for (String pvc : PVCS) { // podman kube down (4.3) keeps the named volumes of the claims
            run(Duration.ofMinutes(1), null, "podman", "volume", "rm", "-f", pvc);
        }
    }

    @Test
    void aQuickEvaluationThroughThePlayedOverlayGetsItsXScores() throws Exception {
        long t0 = System.nanoTime();
        awaitReady(GATEWAY, Duration.ofMinutes(4));
        awaitReady(TRAINER, Duration.ofMinutes(2));
        log("gateway and trainer ready %d s after kube play", (System.nanoTime() - t0) / 1_000_000_000);

        String id = "kube-play-" + Instant.now().getEpochSecond();
        String body = JSON.writeValueAsString(Map.of(
                "evaluationId", id,
                "models", List.of("convmixer-16-1", "convmixer-16-2"),
                "datasets", List.of("synthetic-textures"),
                "seeds", List.of(1),
                "protocol", "quick",
                "overrides", Map.of("epochs", 2, "trainSubset", 256, "testSubset", 128)));
        HttpResponse<String> submitted = HTTP.send(HttpRequest.newBuilder(gateway("/api/v1/evaluations"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, submitted.statusCode(), "submission: " + submitted.body());

        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode view = null;
        while (System.nanoTime() < deadline) {
            view = view(id);
            String status = view == null ? "" : view.path("status").asText();
            if (List.of("FAILED", "COMPLETED_WITH_FAILURES", "CANCELLED").contains(status)) {
                fail("evaluation " + id + " ended " + status + ": " + view);
            }
            if ("SUCCEEDED".equals(status) && view.path("scores").path("complete").asBoolean(false)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertTrue(view != null && view.path("scores").path("complete").asBoolean(false),
                "no complete score set for " + id + " in 5 minutes; last view: " + view);
        Map<String, Double> xscores = new TreeMap<>();
        for (JsonNode s : view.path("scores").path("scores")) {
            JsonNode x = s.path("xscore");
            assertTrue(x.isNumber() && Double.isFinite(x.asDouble()), "model " + s.path("model") + " has no xScore: " + s);
            xscores.put(s.path("model").asText(), x.asDouble());
        }
        assertEquals(List.of("convmixer-16-1", "convmixer-16-2"), new ArrayList<>(xscores.keySet()), "scored models");
        assertEquals(2, view.path("summary").path("succeeded").asInt(), "succeeded jobs: " + view.path("summary"));
        for (JsonNode job : view.path("jobs")) {
            assertTrue(job.path("trainer").asText().startsWith("trainer-local"), "trained by the played trainer: " + job);
        }
        log("evaluation %s SUCCEEDED with xScores %s, %d s after kube play", id, xscores,
                (System.nanoTime() - t0) / 1_000_000_000);
    }

    // ------------------------------------------------------------------ helpers

    /** Checks the rendered overlay (images of this version, nothing podman rejects) and notes pods and claims. */
    static void inspect(String yaml) throws IOException {
        List<String> kinds = new ArrayList<>();
        Map<String, String> emptyDirs = new TreeMap<>();
        try (MappingIterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("kind").asText();
                String name = doc.path("metadata").path("name").asText();
                kinds.add(kind);
                if (kind.equals("PersistentVolumeClaim")) {
                    PVCS.add(name);
                } else if (kind.equals("Deployment")) {
                    PODS.add(name);
                    // podman 4.3 makes an emptyDir a named volume called by its name: shared by every pod naming one so.
                    for (JsonNode v : doc.path("spec").path("template").path("spec").path("volumes")) {
                        if (v.has("emptyDir")) {
                            String other = emptyDirs.put(v.path("name").asText(), name);
                            assertTrue(other == null, "emptyDir " + v.path("name").asText() + " is named so in "
                                    + other + " and " + name + ": podman kube play would share it between the pods; "
                                    + "give it a name of its own in the local overlay");
                        }
                    }
                    for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
                        String image = c.path("image").asText();
                        assertTrue(image.startsWith("localhost/xscore/") && image.endsWith(":" + VERSION),
                                "deployment " + name + " runs " + image + ": the local overlay must name "
                                        + "localhost/xscore/<name>:" + VERSION + " (the project version)");
                    }
                }
            }
        }
        for (String kind : kinds) {
            assertTrue(List.of("ConfigMap", "PersistentVolumeClaim", "Deployment").contains(kind),
                    "the local overlay renders a " + kind + ", which podman kube play cannot use: drop it there");
        }
    }

    static void awaitReady(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        fail("127.0.0.1:" + port + " not ready after " + timeout + " (logs in " + WORK.resolve("logs") + "): " + last);
    }

    static JsonNode view(String id) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gateway("/api/v1/evaluations/" + id))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    static URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + GATEWAY + path);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    record Result(int rc, String out) {
    }

    /** Runs a command (podman with this project's containers.conf) with stdout and stderr together. */
    static Result run(Duration timeout, Path logFile, String... command) throws IOException, InterruptedException {
        Path out = logFile != null ? logFile : Files.createTempFile("kube-play", ".out");
        Files.createDirectories(out.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("CONTAINERS_CONF", CONTAINERS_CONF.toString());
        pb.environment().put("XSCORE_NO_BUILD", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.toString());
        }
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            String text = Files.readString(out);
            return new Result(124, text + "\n(timed out after " + timeout + ": " + String.join(" ", command) + ")");
        }
        String text = Files.readString(out);
        if (logFile == null) {
            Files.deleteIfExists(out);
        }
        return new Result(p.exitValue(), text);
    }

    static String tail(String text) {
        return text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
    }

    static void log(String format, Object... args) {
        System.out.printf("[kube-play] " + format + "%n", args);
    }
}
