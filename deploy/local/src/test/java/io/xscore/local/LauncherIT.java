package io.xscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./xscore} for real: two local stacks (Kafka + MongoDB only, {@code up --only kafka,mongo}) with their own
 * {@code XSCORE_HOME} and {@code XSCORE_PORT_BASE}, started at the same time; each on its own ports and paths. Then on
 * one of them: {@code kill mongo} and {@code up} bring Mongo back with its data, a second {@code up} finds everything
 * running, the mongo log keeps every start, a PID file naming an unrelated live process is not taken for Mongo (and
 * that process is left alone), and {@code down} stops everything it started. Needs the packaged local stack
 * ({@code deploy/local/target}); the launcher's build check is skipped ({@code XSCORE_NO_BUILD=1}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class LauncherIT {

    private static final Path ROOT = Path.of(System.getProperty("xscore.root", "../..")).toAbsolutePath().normalize();
    private static final String SEPARATOR = "===== xscore: mongo started ";

    private Path homeA;
    private Path homeB;
    private int baseA;
    private int baseB;
    private Process unrelated;

    @BeforeEach
    void homes() throws IOException {
        // Under target/, not the system temp dir: the test checks that nothing of a stack lives under /tmp.
        Path dir = Path.of("target", "launcher-it").toAbsolutePath();
        deleteTree(dir);
        homeA = Files.createDirectories(dir.resolve("home-a"));
        homeB = Files.createDirectories(dir.resolve("home-b"));
        baseA = freePortBase(-1);
        baseB = freePortBase(baseA);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path home : new Path[] {homeA, homeB}) {
            if (home != null && Files.isDirectory(home.resolve("run"))) {
                xscore(home, null, "down");
            }
        }
        if (unrelated != null) {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void twoStacksSideBySideSurviveKillAndStop() throws Exception {
        // Two stacks at once, each on its own ports.
        CompletableFuture<Result> upA = CompletableFuture.supplyAsync(() -> xscore(homeA, baseA, "up", "--only", "kafka,mongo"));
        CompletableFuture<Result> upB = CompletableFuture.supplyAsync(() -> xscore(homeB, baseB, "up", "--only", "kafka,mongo"));
        Result a = upA.get(120, TimeUnit.SECONDS);
        Result b = upB.get(120, TimeUnit.SECONDS);
        a.assertOk();
        b.assertOk();
        assertTrue(a.out.contains("Started:         kafka mongo"), a.out);
        assertTrue(b.out.contains("Started:         kafka mongo"), b.out);

        for (Path home : List.of(homeA, homeB)) {
            int base = home == homeA ? baseA : baseB;
            Path other = home == homeA ? homeB : homeA;
            String ports = Files.readString(home.resolve("ports.env"));
            assertTrue(ports.contains("XSCORE_GATEWAY_PORT=" + base + "\n"), ports);
            assertTrue(ports.contains("XSCORE_KAFKA_PORT=" + (base + 4) + "\n"), ports);
            assertTrue(ports.contains("XSCORE_KAFKA_CONTROLLER_PORT=" + (base + 5) + "\n"), ports);
            assertTrue(ports.contains("XSCORE_MONGO_PORT=" + (base + 6) + "\n"), ports);
            for (int port : new int[] {base + 4, base + 5, base + 6}) {
                assertTrue(answers(port), "nothing on port " + port + " of " + home);
            }
            for (String name : List.of("kafka", "mongo")) {
                long pid = pid(home, name);
                assertOwnPaths(pid, name, home, other);
            }
            assertTrue(Files.exists(home.resolve("data/kafka/meta.properties")));
            assertTrue(Files.exists(home.resolve("data/mongo/xscore.h2")));
            assertTrue(Files.readString(home.resolve("kafka-server.properties"))
                    .contains("CONTROLLER://127.0.0.1:" + (base + 5)));
            assertKafkaBroker(base + 4);
        }

        // Separate data: what is written to A is not in B.
        try (MongoClient client = mongo(baseA + 6)) {
            docs(client).insertOne(new Document("_id", "survivor").append("home", "a"));
        }
        try (MongoClient client = mongo(baseB + 6)) {
            assertEquals(0, docs(client).countDocuments());
        }

        // kill + up, with no port variables: the home's ports.env gives the ports.
        long killed = pid(homeA, "mongo");
        Result kill = xscore(homeA, null, "kill", "mongo");
        kill.assertOk();
        assertTrue(kill.out.contains("killed mongo (pid " + killed + ")"), kill.out);
        assertFalse(alive(killed), "mongo still alive after kill");
        Result again = xscore(homeA, null, "up", "--only", "kafka,mongo");
        again.assertOk();
        assertTrue(again.out.contains("Started:         mongo\n"), again.out);
        assertTrue(again.out.contains("Already running: kafka\n"), again.out);
        assertNotEquals(killed, pid(homeA, "mongo"));
        assertSurvivor(baseA + 6);

        Result twice = xscore(homeA, null, "up", "--only", "kafka,mongo");
        twice.assertOk();
        assertTrue(twice.out.contains("Started:         (none)\n"), twice.out);
        assertTrue(twice.out.contains("Already running: kafka mongo\n"), twice.out);
        assertEquals(2, separators(homeA), "one separator line per start, log appended");

        // A PID file naming an unrelated live process (as after a crash and PID reuse) is stale, not Mongo.
        xscore(homeA, null, "kill", "mongo").assertOk();
        unrelated = new ProcessBuilder("sleep", "300").start();
        Files.writeString(homeA.resolve("run/mongo.pid"), unrelated.pid() + "\n");
        Result status = xscore(homeA, null, "status");
        assertTrue(status.out.matches("(?s).*mongo +stopped \\(stale PID file: pid " + unrelated.pid()
                + " is now another program: sleep 300\\).*"), status.out);
        Result recovered = xscore(homeA, null, "up", "--only", "kafka,mongo");
        recovered.assertOk();
        assertTrue(recovered.out.contains("Started:         mongo\n"), recovered.out);
        assertTrue(unrelated.isAlive(), "the unrelated process was signalled");
        assertNotEquals(unrelated.pid(), pid(homeA, "mongo"));
        assertSurvivor(baseA + 6);
        assertEquals(3, separators(homeA));

        // down stops everything it started, in both homes, and nothing else.
        List<Long> pids = new ArrayList<>();
        for (Path home : List.of(homeA, homeB)) {
            pids.add(pid(home, "kafka"));
            pids.add(pid(home, "mongo"));
        }
        Result downA = xscore(homeA, null, "down");
        downA.assertOk();
        assertTrue(downA.out.contains("stopped kafka") && downA.out.contains("stopped mongo"), downA.out);
        xscore(homeB, null, "down").assertOk();
        for (long pid : pids) {
            assertFalse(alive(pid), "pid " + pid + " still alive after down");
        }
        for (int base : new int[] {baseA, baseB}) {
            for (int port : new int[] {base + 4, base + 5, base + 6}) {
                assertFalse(answers(port), "port " + port + " still answers after down");
            }
        }
        for (Path home : List.of(homeA, homeB)) {
            try (Stream<Path> files = Files.list(home.resolve("run"))) {
                List<Path> left = files.filter(f -> f.toString().endsWith(".pid")).toList();
                assertTrue(left.isEmpty(), "PID files left: " + left);
            }
            Result stopped = xscore(home, null, "status");
            assertTrue(stopped.out.matches("(?s).*kafka +stopped\n.*mongo +stopped\n.*"), stopped.out);
        }
        assertTrue(unrelated.isAlive(), "down signalled the unrelated process");
    }

    /**
     * {@code up --trainers 2} (with {@code --only}): two trainer processes, trainer-service on base+3 and trainer-2 on
     * base+7, named trainer-1 and trainer-2, one shared checkpoint directory, a shard cache, log and PID file each;
     * the broker formatted with share groups on; {@code status}, {@code kill trainer-2}, {@code logs trainer-2},
     * {@code up} (the pool size comes from ports.env), {@code stop trainer-1}, {@code up --trainers 1} (shrinks the
     * pool) and {@code down}, each acting on the one process it names.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void trainerPool() throws Exception {
        Path trainerJar = ROOT.resolve("trainer-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(trainerJar), trainerJar + " is missing: package trainer-service first");
        Result up = xscore(homeA, baseA, "up", "--only", "kafka,trainers", "--trainers", "2");
        up.assertOk();
        assertTrue(up.out.contains("Started:         kafka trainer-service trainer-2\n"), up.out);
        String ports = Files.readString(homeA.resolve("ports.env"));
        assertTrue(ports.contains("XSCORE_TRAINERS=2\n"), ports);
        assertTrue(ports.contains("XSCORE_TRAINER_POOL_PORT=" + (baseA + 7) + "\n"), ports);

        Map<String, Integer> trainerPorts = Map.of("trainer-service", baseA + 3, "trainer-2", baseA + 7);
        Map<String, Map<String, String>> envs = new java.util.HashMap<>();
        for (Map.Entry<String, Integer> t : trainerPorts.entrySet()) {
            long pid = pid(homeA, t.getKey());
            assertOwnPaths(pid, t.getKey(), homeA, homeB);
            Map<String, String> env = environment(pid);
            envs.put(t.getKey(), env);
            assertEquals(String.valueOf(t.getValue()), env.get("QUARKUS_HTTP_PORT"), t.getKey());
            assertTrue(answers(t.getValue()), t.getKey() + " does not answer on " + t.getValue());
        }
        assertEquals("trainer-1", envs.get("trainer-service").get("XSCORE_TRAINER_NAME"));
        assertEquals("trainer-2", envs.get("trainer-2").get("XSCORE_TRAINER_NAME"));
        assertEquals(homeA.resolve("data/trainer-checkpoints").toString(),
                envs.get("trainer-service").get("XSCORE_TRAINER_CHECKPOINT_DIR"));
        assertEquals(envs.get("trainer-service").get("XSCORE_TRAINER_CHECKPOINT_DIR"),
                envs.get("trainer-2").get("XSCORE_TRAINER_CHECKPOINT_DIR"), "one checkpoint directory for the pool");
        assertEquals(homeA.resolve("data/trainer-cache").toString(),
                envs.get("trainer-service").get("XSCORE_TRAINER_CACHE_DIR"));
        assertEquals(homeA.resolve("data/trainer-cache-2").toString(), envs.get("trainer-2").get("XSCORE_TRAINER_CACHE_DIR"));

        // The broker has share groups on (Kafka 4.2+ jars): share.version finalized at 1 or more.
        String kafkaVersion = kafkaVersion();
        String properties = Files.readString(homeA.resolve("kafka-server.properties"));
        assertTrue(properties.contains("share.coordinator.state.topic.replication.factor=1"), properties);
        if (atLeast42(kafkaVersion)) {
            assertTrue(Files.exists(homeA.resolve("data/kafka/xscore-share-groups")), "no share-groups marker");
            assertTrue(shareVersion(baseA + 4) >= 1, "share.version not finalized on the broker (Kafka " + kafkaVersion + ")");
        }

        Result status = xscore(homeA, null, "status");
        assertTrue(status.out.matches("(?s).*trainer-service +running \\(pid " + pid(homeA, "trainer-service")
                + "\\), healthy at http://127.0.0.1:" + (baseA + 3) + ".*"), status.out);
        assertTrue(status.out.matches("(?s).*trainer-2 +running \\(pid " + pid(homeA, "trainer-2")
                + "\\), healthy at http://127.0.0.1:" + (baseA + 7) + ".*"), status.out);

        // kill trainer-2: that process only; logs trainer-2 shows its own log; up restarts it (2 from ports.env).
        long first = pid(homeA, "trainer-service");
        long second = pid(homeA, "trainer-2");
        xscore(homeA, null, "kill", "trainer-2").assertOk();
        assertFalse(alive(second), "trainer-2 still alive after kill");
        assertTrue(alive(first), "kill trainer-2 touched trainer-service");
        Result logs = xscore(homeA, null, "logs", "trainer-2");
        logs.assertOk();
        assertTrue(logs.out.contains("===== xscore: trainer-2 started "), logs.out);
        Result again = xscore(homeA, null, "up", "--only", "kafka,trainers");
        again.assertOk();
        assertTrue(again.out.contains("Started:         trainer-2\n"), again.out);
        assertTrue(again.out.contains("Already running: kafka trainer-service\n"), again.out);
        assertEquals(first, pid(homeA, "trainer-service"));

        // stop trainer-1 (= trainer-service): SIGTERM, that process only.
        Result stop = xscore(homeA, null, "stop", "trainer-1");
        stop.assertOk();
        assertTrue(stop.out.contains("stopped trainer-service (pid " + first + ")"), stop.out);
        assertFalse(alive(first));
        assertTrue(alive(pid(homeA, "trainer-2")), "stop trainer-1 touched trainer-2");

        // up --trainers 1 shrinks the pool: trainer-2 is stopped, trainer-service started.
        long third = pid(homeA, "trainer-2");
        Result shrink = xscore(homeA, null, "up", "--only", "kafka,trainers", "--trainers", "1");
        shrink.assertOk();
        assertTrue(shrink.out.contains("stopped trainer-2 (pid " + third + ")"), shrink.out);
        assertTrue(shrink.out.contains("Started:         trainer-service\n"), shrink.out);
        assertFalse(alive(third));
        assertFalse(Files.exists(homeA.resolve("run/trainer-2.pid")));
        assertTrue(Files.readString(homeA.resolve("ports.env")).contains("XSCORE_TRAINERS=1\n"));

        long last = pid(homeA, "trainer-service");
        xscore(homeA, null, "down").assertOk();
        assertFalse(alive(last), "trainer-service alive after down");
        try (Stream<Path> files = Files.list(homeA.resolve("run"))) {
            List<Path> left = files.filter(f -> f.toString().endsWith(".pid")).toList();
            assertTrue(left.isEmpty(), "PID files left: " + left);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Map<String, String> environment(long pid) throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        for (String entry : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** Version of the packaged broker (deploy/local/target/lib/kafka_2.13-X.jar). */
    private static String kafkaVersion() throws IOException {
        try (Stream<Path> jars = Files.list(ROOT.resolve("deploy/local/target/lib"))) {
            // the newest, as the launcher uses (an earlier build may have left an older version beside it)
            return jars.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("kafka_2.13-"))
                    .map(n -> n.substring("kafka_2.13-".length(), n.length() - ".jar".length()))
                    .max(java.util.Comparator.comparing(v -> java.lang.module.ModuleDescriptor.Version.parse(v)))
                    .orElse("?");
        }
    }

    private static boolean atLeast42(String version) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
        return m.find() && (Integer.parseInt(m.group(1)) > 4
                || Integer.parseInt(m.group(1)) == 4 && Integer.parseInt(m.group(2)) >= 2);
    }

    private static int shareVersion(int port) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        // the client refuses a default API timeout below the request timeout (30 s by default)
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            var range = admin.describeFeatures().featureMetadata().get(20, TimeUnit.SECONDS).finalizedFeatures()
                    .get("share.version");
            return range == null ? 0 : range.maxVersionLevel();
        }
    }

    /**
     * {@code ./xscore token}: a token of the stack's own issuer (key pair made in $XSCORE_HOME/auth on first use and
     * kept), verifiable with the public key the services are given, with the role and subject asked for; an unknown
     * role is refused.
     */
    @Test
    void tokensOfTheStacksOwnIssuer() throws Exception {
        Result first = xscore(homeA, null, "token", "--role", "admin", "--subject", "ops", "--ttl", "PT1H");
        first.assertOk();
        Path auth = homeA.resolve("auth");
        String publicKey = Files.readString(auth.resolve("public-key.pem"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(auth.resolve("private-key.pem"))));
        org.jose4j.jwt.JwtClaims claims = verify(lastLine(first.out()), publicKey);
        assertEquals("ops", claims.getSubject());
        assertEquals(List.of("admin"), claims.getStringListClaimValue("groups"));
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertEquals(3600, ttl);

        Result second = xscore(homeA, null, "token");
        second.assertOk();
        assertEquals(publicKey, Files.readString(auth.resolve("public-key.pem")), "the key pair must be kept");
        assertEquals(List.of("submitter"), verify(lastLine(second.out()), publicKey).getStringListClaimValue("groups"));

        Result bad = xscore(homeA, null, "token", "--role", "root");
        assertEquals(2, bad.rc(), bad.out());
        assertTrue(bad.out().contains("unknown role"), bad.out());
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static org.jose4j.jwt.JwtClaims verify(String token, String publicKeyPem) throws Exception {
        byte[] der = java.util.Base64.getMimeDecoder().decode(publicKeyPem.replaceAll("-----[A-Z ]+-----", ""));
        java.security.PublicKey key = java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
        return new org.jose4j.jwt.consumer.JwtConsumerBuilder().setVerificationKey(key)
                .setExpectedIssuer(io.xscore.common.auth.LocalIssuer.DEFAULT_ISSUER)
                .setExpectedAudience(io.xscore.common.auth.LocalIssuer.AUDIENCE).setRequireExpirationTime().build()
                .processToClaims(token);
    }

    private record Result(int rc, String out) {
        void assertOk() {
            assertEquals(0, rc, out);
        }
    }

    /** Runs ./xscore with only XSCORE_HOME (and XSCORE_PORT_BASE when given) of the launcher's variables set. */
    private static Result xscore(Path home, Integer base, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("xscore").toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("XSCORE_") || k.equals("KAFKA_BOOTSTRAP_SERVERS")
                || k.equals("MONGODB_URI"));
        env.put("XSCORE_HOME", home.toString());
        env.put("XSCORE_NO_BUILD", "1");
        if (base != null) {
            env.put("XSCORE_PORT_BASE", String.valueOf(base));
        }
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output unreadable: " + e + ")";
                }
            });
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("./xscore " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("./xscore " + String.join(" ", args), e);
        }
    }

    private static long pid(Path home, String name) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).trim());
    }

    /** Alive and not a zombie (a SIGKILLed process may stay unreaped when PID 1 does not reap). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * The process carries its home's marker and temp dir, and has no file open under the system temp dir or the other
     * home (the JVM's own per-PID perf data file, /tmp/hsperfdata_USER/PID, aside; and its own home and the checkout's
     * jars, which lie under /tmp when the checkout does, as in a CI clone there).
     */
    private static void assertOwnPaths(long pid, String name, Path home, Path other) throws IOException {
        List<String> args = Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        assertTrue(args.contains("-Dxscore.home=" + home), args.toString());
        assertTrue(args.contains("-Dxscore.component=" + name), args.toString());
        assertTrue(args.contains("-Djava.io.tmpdir=" + home.resolve("tmp")), args.toString());
        assertTrue(args.stream().noneMatch(a -> a.contains(other.toString())), args.toString());
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // ignore
                }
            }
        }
        for (String file : open) {
            boolean ours = file.startsWith(home.toString()) || file.startsWith(ROOT.toString())
                    && !file.startsWith(other.toString());
            assertFalse(file.startsWith("/tmp/") && !file.startsWith("/tmp/hsperfdata_") && !ours,
                    name + " has " + file + " open");
            assertFalse(file.startsWith(other.toString()), name + " of " + home + " has " + file + " open");
        }
        assertTrue(open.stream().anyMatch(f -> f.startsWith(home.toString())), name + " has nothing open in its home: " + open);
    }

    private static void assertKafkaBroker(int port) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        // the client refuses a default API timeout below the request timeout (30 s by default)
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS));
            assertEquals(1, nodes.size(), nodes.toString());
            assertEquals(port, nodes.get(0).port());
        }
    }

    private static void assertSurvivor(int port) {
        try (MongoClient client = mongo(port)) {
            Document d = docs(client).find(new Document("_id", "survivor")).first();
            assertTrue(d != null && "a".equals(d.getString("home")), "acknowledged document lost: " + d);
        }
    }

    private static int separators(Path home) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(SEPARATOR) + "\\S+, pid \\d+, XSCORE_HOME "
                + Pattern.quote(home.toString()) + " =====$").matcher(Files.readString(home.resolve("logs/mongo.log")));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static MongoClient mongo(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=10000");
    }

    private static MongoCollection<Document> docs(MongoClient client) {
        return client.getDatabase("launcher-it").getCollection("docs");
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A base with base .. base+7 free (base+7: trainer-2), far from the defaults and from {@code avoid} .. avoid+7. */
    private static int freePortBase(int avoid) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 22000 + ThreadLocalRandom.current().nextInt(0, 800) * 10;
            if (avoid >= 0 && Math.abs(base - avoid) < 10) {
                continue;
            }
            boolean free = true;
            for (int port = base; port <= base + 7 && free; port++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.0.1", port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
