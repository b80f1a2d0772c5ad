package io.xscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local MongoDB server loses no acknowledged write when it is SIGKILLed: {@link MongoWireServer} runs as a real
 * process on an H2 file, takes inserts, updates and deletes one at a time (each acknowledged), is killed with SIGKILL
 * right after the last acknowledgement, and is restarted on the same file, which must hold every acknowledged write
 * (and a unique index that still rejects duplicates). Several rounds on the same file.
 */
class MongoWireServerDurabilityTest {

    private static final int ROUNDS = 3;
    private static final int INSERTS_PER_ROUND = 150;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path file = dir.resolve("mongo/xscore.h2");
        Map<Integer, Integer> expected = new TreeMap<>(); // _id -> value of "v"
        Random random = new Random(42);
        int nextId = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            int port = freePort();
            Process server = start(port, file, round);
            try {
                MongoClient client = client(port);
                MongoCollection<Document> docs = client.getDatabase("durability").getCollection("docs")
                        .withWriteConcern(WriteConcern.W1.withJournal(true));
                assertHolds(docs, expected, round);
                if (round == ROUNDS) {
                    client.close();
                    break;
                }
                if (round == 0) {
                    docs.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
                }
                for (int i = 0; i < INSERTS_PER_ROUND; i++) {
                    int id = nextId++;
                    docs.insertOne(new Document("_id", id).append("key", "k" + id).append("round", round)
                            .append("v", 0).append("payload", "x".repeat(200)));
                    expected.put(id, 0);
                    if (i % 15 == 14) {
                        // Updates and a delete of earlier documents, interleaved with the inserts.
                        List<Integer> ids = new ArrayList<>(expected.keySet());
                        int updated = ids.get(random.nextInt(ids.size()));
                        docs.updateOne(Filters.eq("_id", updated), Updates.inc("v", 1));
                        expected.merge(updated, 1, Integer::sum);
                        int deleted = ids.get(random.nextInt(ids.size()));
                        if (deleted != updated) {
                            assertEquals(1, docs.deleteOne(Filters.eq("_id", deleted)).getDeletedCount());
                            expected.remove(deleted);
                        }
                    }
                }
                // The last acknowledged writes: an update, then an insert. SIGKILL follows at once.
                int last = expected.keySet().iterator().next();
                docs.updateOne(Filters.eq("_id", last), Updates.inc("v", 1));
                expected.merge(last, 1, Integer::sum);
                int id = nextId++;
                docs.insertOne(new Document("_id", id).append("key", "k" + id).append("round", round).append("v", 0));
                expected.put(id, 0);
                server.destroyForcibly(); // SIGKILL on Linux
                assertTrue(server.waitFor(10, TimeUnit.SECONDS), "server did not die");
                client.close();
            } finally {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertHolds(MongoCollection<Document> docs, Map<Integer, Integer> expected, int round) {
        Map<Integer, Integer> actual = new HashMap<>();
        for (Document d : docs.find()) {
            actual.put(d.getInteger("_id"), d.getInteger("v"));
        }
        if (!actual.equals(expected)) {
            List<Integer> missing = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            expected.forEach((id, v) -> {
                if (!actual.containsKey(id)) {
                    missing.add(id);
                } else if (!actual.get(id).equals(v)) {
                    wrong.add(id + ": v=" + actual.get(id) + " instead of " + v);
                }
            });
            List<Integer> resurrected = new ArrayList<>(actual.keySet());
            resurrected.removeAll(expected.keySet());
            fail("after restart " + round + ": " + missing.size() + " acknowledged documents missing " + missing
                    + ", acknowledged updates lost " + wrong + ", acknowledged deletes undone " + resurrected);
        }
        if (!expected.isEmpty()) {
            // The unique index survived with the data: a duplicate key is still rejected.
            int someId = expected.keySet().iterator().next();
            MongoWriteException e = assertThrows(MongoWriteException.class,
                    () -> docs.insertOne(new Document("_id", -1).append("key", "k" + someId)));
            assertEquals(ErrorCategory.DUPLICATE_KEY, ErrorCategory.fromErrorCode(e.getCode()));
        }
    }

    private Process start(int port, Path file, int round) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = dir.resolve("mongo-" + round + ".log").toFile();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                MongoWireServer.class.getName(), "--port", String.valueOf(port), "--data", file.toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    fail("MongoWireServer did not start on port " + port + ":\n" + Files.readString(log.toPath()));
                }
                Thread.sleep(50);
            }
        }
    }

    private static MongoClient client(int port) {
        return MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?serverSelectionTimeoutMS=5000&connectTimeoutMS=2000&socketTimeoutMS=10000&retryWrites=false");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
