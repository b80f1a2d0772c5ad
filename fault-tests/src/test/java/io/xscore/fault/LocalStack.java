package io.xscore.fault;

import io.xscore.testsupport.FreePorts;
import io.xscore.testsupport.TestTokens;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The production local stack, driven through the launcher ({@code ./xscore up|down}) with its own state directory
 * ({@code XSCORE_HOME}) and free ports, so that the path users run is the one under test. Processes are found by the
 * launcher's PID files ({@code $XSCORE_HOME/run/<name>.pid}), killed with SIGKILL by PID, and started again with
 * {@code ./xscore up}, which starts whatever is not running. Nothing is ever killed by name.
 */
final class LocalStack implements AutoCloseable {

    static final List<String> SERVICES = List.of("gateway", "scoring-service", "dataset-service", "trainer-service");
    static final List<String> ALL = List.of("kafka", "mongo", "gateway", "scoring-service", "dataset-service",
            "trainer-service");

    /** One run of a component: its PID, when it started and (once killed or found dead) when it ended. */
    static final class Lifetime {
        final String name;
        final long pid;
        final Instant started;
        volatile Instant ended;

        Lifetime(String name, long pid, Instant started) {
            this.name = name;
            this.pid = pid;
            this.started = started;
        }

        boolean covers(Instant t) {
            return !t.isBefore(started) && (ended == null || !t.isAfter(ended));
        }

        @Override
        public String toString() {
            return name + " pid " + pid + " [" + started + " .. " + (ended == null ? "running" : ended) + "]";
        }
    }

    final Path root;
    final Path home;
    /** This stack's services and components: with a trainer pool, trainer-2 .. trainer-N after trainer-service. */
    final List<String> services;
    final List<String> all;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final LogArchive logs;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Lifetime> lifetimes = new ArrayList<>();
    private final Path launcherLog;
    private final Thread shutdownHook;

    /**
     * @param root the directory holding the launcher ({@code xscore}) and the packaged services: the checkout, or a
     *             {@link #snapshot} of it
     */
    LocalStack(Path root, Path home) {
        this(root, home, 1);
    }

    /** A stack with {@code trainers} trainer processes ({@code ./xscore up --trainers N}, as XSCORE_TRAINERS). */
    LocalStack(Path root, Path home, int trainers) {
        this.root = root;
        this.home = home;
        List<String> pool = new ArrayList<>();
        for (int k = 2; k <= trainers; k++) {
            pool.add("trainer-" + k);
        }
        List<String> s = new ArrayList<>(SERVICES);
        s.addAll(pool);
        this.services = List.copyOf(s);
        List<String> a = new ArrayList<>(ALL);
        a.addAll(pool);
        this.all = List.copyOf(a);
        this.logs = new LogArchive(home.resolve("logs"));
        this.launcherLog = home.resolve("launcher.log");
        Set<Integer> taken = new LinkedHashSet<>();
        for (String name : List.of("gateway", "scoring-service", "dataset-service", "trainer-service", "kafka",
                "kafka-controller", "mongo")) {
            int port;
            do {
                port = FreePorts.pick();
            } while (!taken.add(port));
            ports.put(name, port);
        }
        env.put("XSCORE_HOME", home.toString());
        env.put("XSCORE_NO_BUILD", "1");
        env.put("XSCORE_GATEWAY_PORT", ports.get("gateway").toString());
        env.put("XSCORE_SCORING_PORT", ports.get("scoring-service").toString());
        env.put("XSCORE_DATASET_PORT", ports.get("dataset-service").toString());
        env.put("XSCORE_TRAINER_PORT", ports.get("trainer-service").toString());
        env.put("XSCORE_KAFKA_PORT", ports.get("kafka").toString());
        env.put("XSCORE_KAFKA_CONTROLLER_PORT", ports.get("kafka-controller").toString());
        env.put("XSCORE_MONGO_PORT", ports.get("mongo").toString());
        // Everything the services write lives under this suite's home, never in the user's .local or /tmp.
        env.put("XSCORE_TRAINER_CHECKPOINT_DIR", home.resolve("data/trainer-checkpoints").toString());
        env.put("XSCORE_TRAINER_CACHE_DIR", home.resolve("data/trainer-cache").toString());
        env.put("XSCORE_DATASET_AUGMENTATION_DIR", home.resolve("data/augmented").toString());
        // Authentication on, as users run it, with the test issuer: the launcher keeps a key pair it finds in
        // $XSCORE_HOME/auth, so the suite's tokens (Http) are valid for this stack.
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        try {
            TestTokens.writeKeyPair(home.resolve("auth"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (trainers > 1) {
            // trainer-K on XSCORE_TRAINER_POOL_PORT + K - 2: a free run of trainers - 1 ports
            int first = consecutiveFreePorts(trainers - 1, taken);
            for (int k = 2; k <= trainers; k++) {
                ports.put("trainer-" + k, first + k - 2);
            }
            env.put("XSCORE_TRAINER_POOL_PORT", String.valueOf(first));
            env.put("XSCORE_TRAINERS", String.valueOf(trainers));
        }
        this.shutdownHook = new Thread(this::killEverythingByPid, "xscore-fault-stack-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Sets a variable for every later launcher call (and so for the processes it starts). */
    LocalStack env(String name, String value) {
        env.put(name, value);
        return this;
    }

    List<String> trainers() {
        return all.stream().filter(n -> n.equals("trainer-service") || n.startsWith("trainer-")).toList();
    }

    private static int consecutiveFreePorts(int count, Set<Integer> taken) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = FreePorts.pick();
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                free = p <= 65535 && !taken.contains(p) && !portOpen(p) && bindable(p);
            }
            if (free) {
                for (int p = first; p < first + count; p++) {
                    taken.add(p);
                }
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ snapshot of the packaged stack

    /**
     * A private copy of what {@code ./xscore up} runs: the launcher itself and the packaged artifacts (the services'
     * {@code target/quarkus-app}, hard-linked: a rebuild replaces those directories with new files, so the links keep
     * the old ones; the local-stack jar, its {@code lib/} and {@code config/}, copied). The launcher finds everything
     * relative to its own location, so the copy runs exactly as the checkout would, and a rebuild in the checkout
     * while the suite runs (other people's work in a shared working tree) cannot pull jars from under a restarting
     * service. Waits (bounded) for a consistent set if a build is writing them right now.
     */
    static Path snapshot(Path checkout, Path into) throws IOException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
        while (true) {
            String missing = incomplete(checkout);
            if (missing == null) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the packaged stack is incomplete (" + missing + "): ./mvnw -B -q install "
                        + "-DskipTests first");
            }
            Timeline.log("packaged stack incomplete (%s): a build is running? waiting", missing);
            sleep(java.time.Duration.ofSeconds(10));
        }
        Files.createDirectories(into);
        Files.copy(checkout.resolve("xscore"), into.resolve("xscore"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String service : SERVICES) {
            copyTree(checkout.resolve(service).resolve("target/quarkus-app"),
                    into.resolve(service).resolve("target/quarkus-app"), true);
        }
        copyTree(checkout.resolve("deploy/local/target/lib"), into.resolve("deploy/local/target/lib"), false);
        copyTree(checkout.resolve("deploy/local/config"), into.resolve("deploy/local/config"), false);
        try (java.util.stream.Stream<Path> jars = Files.list(checkout.resolve("deploy/local/target"))) {
            for (Path jar : jars.filter(f -> f.getFileName().toString().endsWith(".jar")).toList()) {
                Files.copy(jar, into.resolve("deploy/local/target").resolve(jar.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String missing = incomplete(into);
        if (missing != null) {
            throw new AssertionError("the packaged stack changed while it was copied (" + missing + "): run again");
        }
        return into;
    }

    private static String incomplete(Path root) throws IOException {
        for (String service : SERVICES) {
            Path app = root.resolve(service).resolve("target/quarkus-app");
            for (String part : List.of("quarkus-run.jar", "app", "lib/main", "quarkus/quarkus-application.dat")) {
                if (!Files.exists(app.resolve(part))) {
                    return app.resolve(part) + " missing";
                }
            }
        }
        if (!Files.isDirectory(root.resolve("deploy/local/target/lib"))) {
            return "deploy/local/target/lib missing";
        }
        return Files.exists(root.resolve("deploy/local/target/xscore-local-stack-0.1.0-SNAPSHOT.jar")) ? null
                : "the local-stack jar is missing";
    }

    private static void copyTree(Path from, Path to, boolean link) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (link) {
                    try {
                        Files.createLink(target, f);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + ports.get("kafka");
    }

    String mongoUri() {
        return "mongodb://127.0.0.1:" + ports.get("mongo");
    }

    // ------------------------------------------------------------------ launcher

    /** {@code ./xscore up}: starts whatever is not running and waits until every service is healthy. */
    void up() {
        for (String name : all) {
            if (!alive(name)) {
                logs.snapshot(name); // keep what the dead process logged before the launcher reuses its log file
            }
        }
        long t0 = System.nanoTime();
        Launch launch = launcher(Duration.ofMinutes(9), "up");
        Timeline.log("./xscore up: exit %d after %.1f s", launch.exit, (System.nanoTime() - t0) / 1e9);
        recordLifetimes();
        if (launch.exit != 0) {
            throw new AssertionError("./xscore up failed (exit " + launch.exit + "):\n" + launch.output + "\n"
                    + statusReport());
        }
    }

    /** {@code ./xscore down}, then SIGKILL by PID anything still alive. */
    void down() {
        Launch launch = launcher(Duration.ofMinutes(4), "down");
        Timeline.log("./xscore down: exit %d", launch.exit);
        killEverythingByPid();
    }

    private record Launch(int exit, String output) {
    }

    private Launch launcher(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("xscore").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launcherLog.toFile()));
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS"); // the stack's own broker and Mongo, never another
        builder.environment().remove("MONGODB_URI");
        builder.environment().putAll(env);
        try {
            Files.createDirectories(home);
            long before = Files.exists(launcherLog) ? Files.size(launcherLog) : 0;
            Process p = builder.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // the launcher only; its services are tracked by PID
            }
            byte[] all = Files.readAllBytes(launcherLog);
            String output = new String(all, (int) Math.min(before, all.length), (int) (all.length - Math.min(before,
                    all.length)), StandardCharsets.UTF_8);
            return new Launch(done ? p.exitValue() : 124, output + (done ? "" : "\n(launcher timed out after "
                    + timeout + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ processes

    Optional<Long> pid(String name) {
        Path f = home.resolve("run").resolve(name + ".pid");
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            String text = Files.readString(f).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean alive(String name) {
        return pid(name).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL by PID and wait until the process is gone; its log is archived before anything restarts it. */
    void kill(String name) {
        long pid = pid(name).orElseThrow(() -> new AssertionError(name + " has no PID file: not started?"));
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " (pid " + pid
                + ") is not running"));
        handle.destroyForcibly();
        try {
            handle.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " (pid " + pid + ") still alive 60 s after SIGKILL");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Instant now = Instant.now();
        synchronized (lifetimes) {
            lifetimes.stream().filter(l -> l.pid == pid && l.ended == null).forEach(l -> l.ended = now);
        }
        logs.snapshot(name);
        Timeline.log("SIGKILL %s (pid %d): gone", name, pid);
    }

    private void recordLifetimes() {
        synchronized (lifetimes) {
            for (String name : all) {
                Optional<Long> pid = pid(name);
                if (pid.isEmpty()) {
                    continue;
                }
                boolean known = lifetimes.stream().anyMatch(l -> l.pid == pid.get() && l.name.equals(name));
                Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
                if (!known && handle.isPresent()) {
                    Instant started = handle.get().info().startInstant().orElse(Instant.now());
                    lifetimes.add(new Lifetime(name, pid.get(), started));
                    Timeline.log("%s running as pid %d (started %s)", name, pid.get(), started);
                }
                // a process that died without us killing it
                lifetimes.stream().filter(l -> l.name.equals(name) && l.ended == null && l.pid != pid.get())
                        .forEach(l -> l.ended = Instant.now());
            }
        }
    }

    List<Lifetime> lifetimes(String name) {
        synchronized (lifetimes) {
            return lifetimes.stream().filter(l -> l.name.equals(name)).toList();
        }
    }

    // ------------------------------------------------------------------ health

    boolean ready(String service) {
        return Http.get(url(service) + "/q/health/ready").status() == 200;
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether every process is alive, Kafka and Mongo accept connections and every service is ready. */
    boolean healthy() {
        for (String name : all) {
            if (!alive(name)) {
                return false;
            }
        }
        if (!portOpen(ports.get("kafka")) || !portOpen(ports.get("mongo"))) {
            return false;
        }
        for (String s : services) {
            if (!ready(s)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the stack is healthy; fails with every component's state and log tail if it is not in time. */
    void awaitHealthy(Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (!healthy()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stack not healthy after " + timeout + ":\n" + statusReport());
            }
            sleep(Duration.ofMillis(500));
        }
        Timeline.log("stack healthy (waited %.1f s)", (System.nanoTime() - t0) / 1e9);
    }

    /** Starts whatever is dead (a scenario that failed half-way may have left something down), then waits. */
    void ensureHealthy(Duration timeout) {
        List<String> dead = all.stream().filter(n -> !alive(n)).toList();
        if (!dead.isEmpty()) {
            Timeline.log("not running: %s: ./xscore up", dead);
            up();
        }
        awaitHealthy(timeout);
    }

    String statusReport() {
        StringBuilder sb = new StringBuilder();
        for (String name : all) {
            sb.append("  ").append(name).append(": pid ").append(pid(name).map(String::valueOf).orElse("-"))
                    .append(alive(name) ? " alive" : " NOT RUNNING");
            if (services.contains(name)) {
                Http.Resp r = Http.get(url(name) + "/q/health/ready");
                sb.append(", ready: ").append(r.status()).append(' ').append(r.body().replace('\n', ' '));
            } else {
                sb.append(", port ").append(portOpen(ports.get(name)) ? "open" : "closed");
            }
            sb.append('\n');
        }
        for (String name : all) {
            sb.append("---- last lines of ").append(name).append(".log\n").append(logs.tail(name, 25)).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ shutdown

    private void killEverythingByPid() {
        for (String name : all) {
            pid(name).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).ifPresent(h -> {
                h.destroyForcibly();
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported by the caller's checks; nothing else to do on the way out
                }
            });
        }
    }

    /** Stops the stack ({@code ./xscore down}, then by PID) and keeps every log under {@code evidence}. */
    void close(Path evidence) throws IOException {
        try {
            down();
        } finally {
            for (String name : all) {
                if (!alive(name)) {
                    logs.snapshot(name);
                }
            }
            logs.copyTo(evidence, all);
            for (String extra : List.of("launcher.log", "logs/kafka-format.log")) {
                Path f = home.resolve(extra);
                if (Files.exists(f)) {
                    Files.copy(f, evidence.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    @Override
    public void close() throws IOException {
        close(home.resolve("evidence"));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
