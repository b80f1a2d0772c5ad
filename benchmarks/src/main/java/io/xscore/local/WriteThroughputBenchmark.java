package io.xscore.local;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * Acknowledged single-document inserts per second into the local MongoDB server: the stock H2 backend (auto-commit
 * about once a second, loses the last second on a crash) against {@link DurableH2Backend} without and with fsync.
 * Not a test; run by hand: {@code ./xscore bench mongo-writes [SECONDS] [DIR]}.
 */
public class WriteThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("xscore-mongo-bench");
        Files.createDirectories(dir);
        System.out.printf("%-26s %8s %14s%n", "backend", "clients", "inserts/s");
        for (String variant : List.of("stock-h2", "durable-no-fsync", "durable-fsync")) {
            for (int clients : new int[] {1, 8}) {
                Path file = dir.resolve(variant + "-" + clients + ".h2");
                Files.deleteIfExists(file);
                MongoBackend backend = switch (variant) {
                    case "stock-h2" -> new H2Backend(file.toString());
                    case "durable-no-fsync" -> new DurableH2Backend(file, false);
                    default -> new DurableH2Backend(file, true);
                };
                MongoServer server = new MongoServer(backend);
                InetSocketAddress address = server.bind();
                try (MongoClient client = MongoClients.create(
                        "mongodb://127.0.0.1:" + address.getPort() + "/?maxPoolSize=" + (clients + 2))) {
                    MongoCollection<Document> docs = client.getDatabase("bench").getCollection("docs")
                            .withWriteConcern(WriteConcern.W1.withJournal(true));
                    docs.insertOne(new Document("_id", "warm-up"));
                    double rate = run(docs, clients, seconds);
                    System.out.printf("%-26s %8d %14.0f%n", variant, clients, rate);
                } finally {
                    server.shutdown();
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static double run(MongoCollection<Document> docs, int clients, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicInteger ids = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String payload = "x".repeat(300);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    docs.insertOne(new Document("_id", ids.incrementAndGet()).append("payload", payload));
                    done.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
