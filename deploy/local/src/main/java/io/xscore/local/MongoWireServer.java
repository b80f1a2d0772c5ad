package io.xscore.local;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A MongoDB wire-protocol server for machines without mongod (mongo-java-server; H2 file backend so data survives
 * restarts). It has no transactions and no replica set, which the services do not rely on. Any real mongod can be used
 * instead by pointing MONGODB_URI at it.
 *
 * <p>With a file, every acknowledged write is in the file before the reply is sent ({@link DurableH2Backend}), and by
 * default also forced to the storage device (fsync); {@code --no-fsync} keeps only the first guarantee (survives the
 * death of this process, not of the machine).
 */
@Command(name = "mongo-wire-server", mixinStandardHelpOptions = true,
        description = "MongoDB wire-protocol server backed by an H2 file")
public class MongoWireServer implements Runnable {

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", defaultValue = "27017")
    int port;

    @Option(names = "--data", description = "H2 database file; omit for an in-memory server")
    Path data;

    @Option(names = "--fsync", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "force every commit to the storage device before answering (default: ${DEFAULT-VALUE}); "
                    + "--no-fsync: written to the file (survives a crash of this process) but not synced")
    boolean fsync;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MongoWireServer()).execute(args));
    }

    @Override
    public void run() {
        MongoServer server;
        try {
            if (data != null) {
                Files.createDirectories(data.toAbsolutePath().getParent());
                server = new MongoServer(new DurableH2Backend(data.toAbsolutePath(), fsync));
            } else {
                server = new MongoServer(new MemoryBackend());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + data, e);
        }
        server.bind(host, port);
        System.out.printf("MongoDB wire protocol on %s:%d (%s), pid %d%n", host, port,
                data == null ? "in memory" : "H2 file " + data.toAbsolutePath()
                        + (fsync ? ", every write committed and synced before it is acknowledged"
                                : ", every write committed (not synced) before it is acknowledged"),
                ProcessHandle.current().pid());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }, "mongo-wire-server-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
