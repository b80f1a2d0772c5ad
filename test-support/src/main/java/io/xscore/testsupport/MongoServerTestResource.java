package io.xscore.testsupport;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real MongoDB wire-protocol server (mongo-java-server, in-memory backend) for {@code @QuarkusTest}s, shared by
 * the test JVM. Exposes {@code quarkus.mongodb.connection-string}. It has no transactions: the services do not use
 * them either.
 */
public class MongoServerTestResource implements QuarkusTestResourceLifecycleManager {

    private static MongoServer server;
    private static String connectionString;

    public static synchronized String connectionString() {
        if (server == null) {
            server = new MongoServer(new MemoryBackend());
            int port = FreePorts.pick();
            server.bind("127.0.0.1", port);
            connectionString = "mongodb://127.0.0.1:" + port;
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-server-stop"));
        }
        return connectionString;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.mongodb.connection-string", connectionString());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; closed by the shutdown hook.
    }
}
