package io.xscore.e2e;

import static org.awaitility.Awaitility.await;

import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The platform the end-to-end tests run against: the four packaged services as separate processes on a real Kafka
 * broker and a real MongoDB wire-protocol server (both started in the test JVM), with authentication on and tracing
 * to a test OTLP receiver. Started once per test JVM by the first class that asks ({@link Started}) and stopped when
 * the run ends, so that the REST tests ({@link PlatformIT}) and the browser tests ({@link WebUiIT}) share one stack
 * instead of each paying its start.
 */
final class Platform implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("xscore.root", "..")).toAbsolutePath().normalize();
    static final Path LOGS = Path.of(System.getProperty("xscore.e2e.logs", "target/e2e-logs"));
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private static volatile Platform started;

    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    final Path work;
    final OtlpReceiver traces;

    /** The running platform; only inside a class extended with {@link Started}. */
    static Platform get() {
        if (started == null) {
            throw new IllegalStateException("the platform is not started: extend the test class with Platform.Started");
        }
        return started;
    }

    /** Starts the platform before the first class that needs it and registers its stop at the end of the run. */
    static final class Started implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(Platform.class, key -> {
                try {
                    started = new Platform();
                    return started;
                } catch (IOException e) {
                    throw new IllegalStateException("the platform did not start", e);
                }
            }, Platform.class);
        }
    }

    private Platform() throws IOException {
        Map<String, ServiceProcess> services = this.services;
        Path work;
        OtlpReceiver traces;

        if (!Files.isDirectory(FASHION_MNIST)) {
            throw new IllegalStateException("Fashion-MNIST is needed: apt-get install dataset-fashion-mnist");
        }
        work = Files.createTempDirectory("xscore-e2e");
        Map<String, String> env = new HashMap<>();
        // Tracing (issue 14): every service exports its spans to the test's OTLP receiver, soon after they end.
        traces = new OtlpReceiver();
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        // authentication on, as deployed: the test issuer's key, and the services' own token for their calls
        env.putAll(TestTokens.processEnvironment(work.resolve("auth"), Duration.ofHours(2)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBrokerTestResource.bootstrapServers());
        env.put("MONGODB_URI", MongoServerTestResource.connectionString());
        env.put("XSCORE_DATASET_FASHION_MNIST_DIR", FASHION_MNIST.toString());
        env.put("XSCORE_DATASET_CACHE_DIR", work.resolve("datasets").toString());
        env.put("XSCORE_TRAINER_CACHE_DIR", work.resolve("trainer-cache").toString());
        // This run's own checkpoints and result ledger: a ledger left by another run would answer this run's jobs
        // (same job ids) with the results it recorded, without training.
        env.put("XSCORE_TRAINER_CHECKPOINT_DIR", work.resolve("trainer-checkpoints").toString());
        env.put("XSCORE_DATASET_AUGMENTATION_DIR", work.resolve("augmented").toString());
        // As on GPU pods: take pre-computed augmented epochs from the dataset service where they are ready.
        env.put("XSCORE_TRAINER_AUGMENTATION_CACHE", "prefer");
        // The trainer's view of the service's augmentation directory (a mounted volume on a cluster); the test puts
        // only some epochs there, so both transports, disk and HTTP, are used.
        env.put("XSCORE_TRAINER_AUGMENTATION_CACHE_SHARED_DIR", work.resolve("augmented-mount").toString());

        services.put("dataset-service", ServiceProcess.start(ROOT, "dataset-service", LOGS, env, List.of()));
        env.put("XSCORE_TRAINER_DATASET_SERVICE_URL", services.get("dataset-service").url());
        // Before the trainer: it asks the scoring service whether a job already has a result before training it.
        services.put("scoring-service", ServiceProcess.start(ROOT, "scoring-service", LOGS, env, List.of()));
        env.put("XSCORE_SCORING_SERVICE_URL", services.get("scoring-service").url());
        Path tcmalloc = Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
        Map<String, String> trainerEnv = new HashMap<>(env);
        if (Files.exists(tcmalloc)) {
            trainerEnv.put("LD_PRELOAD", tcmalloc.toString());
        }
        services.put("trainer-service", ServiceProcess.start(ROOT, "trainer-service", LOGS, trainerEnv,
                List.of("-Dai.djl.offline=true")));
        // The gateway is the one public entry point: it serves the trainer's model catalog and the dataset service's
        // dataset reads, as in the cluster where NetworkPolicies keep those services internal.
        env.put("XSCORE_GATEWAY_TRAINER_SERVICE_URL", services.get("trainer-service").url());
        services.put("gateway", ServiceProcess.start(ROOT, "gateway", LOGS, env, List.of()));
        for (ServiceProcess service : services.values()) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(service::ready);
        }
        this.work = work;
        this.traces = traces;
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        traces.close();
        started = null;
    }
}
