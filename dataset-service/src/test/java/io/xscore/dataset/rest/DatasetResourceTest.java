package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.xscore.common.auth.Roles;
import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.shard.ImageShard;
import io.xscore.testsupport.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP contract against the real Fashion-MNIST of /usr/share/datasets/fashion-mnist and the generators. */
@QuarkusTest
class DatasetResourceTest {

    /** Every request of these tests is made as an admin (DatasetAuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("dataset-tests", Roles.ADMIN);
    }

    static final String PROBLEM = "application/problem+json";

    /** Starts from a cold cache so the preparation path runs for real (the profile's cache is target/test-cache). */
    @BeforeAll
    static void emptyCache() throws IOException {
        Path cache = Path.of("target/test-cache");
        if (Files.exists(cache)) {
            try (Stream<Path> files = Files.walk(cache)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void catalogListsEveryIdWithAStatus() {
        List<Map<String, Object>> list = given().get("/api/v1/datasets").then().statusCode(200)
                .contentType("application/json").extract().jsonPath().getList("$");
        assertEquals(DatasetCatalog.ids(), list.stream().map(d -> d.get("id")).toList());
        for (Map<String, Object> dataset : list) {
            String id = (String) dataset.get("id");
            assertTrue(dataset.keySet().containsAll(List.of("name", "kind", "classes", "trainImages", "testImages",
                    "resolution", "mean", "std", "available", "status", "detail")), dataset.toString());
            if (DatasetCatalog.BENCHMARK.contains(id)) {
                assertEquals(false, dataset.get("available"), id);
                assertEquals("missing-data", dataset.get("status"), id);
                assertTrue(((String) dataset.get("detail")).contains("register"), id);
            } else {
                assertEquals(true, dataset.get("available"), id);
                assertTrue(List.of("ready", "not-prepared", "preparing").contains(dataset.get("status")), id);
            }
        }
        given().get("/api/v1/datasets/synthetic-textures").then().statusCode(200)
                .body("id", equalTo("synthetic-textures")).body("classes", equalTo(10))
                .body("trainImages", equalTo(5000)).body("available", equalTo(true));
    }

    @Test
    void unknownDatasetAndSplitAreProblems() {
        given().get("/api/v1/datasets/no-such-set").then().statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404)).body("title", equalTo("Unknown dataset"))
                .body("type", equalTo("urn:xscore:problem:unknown-dataset"))
                .body("detail", containsString("no-such-set")).body("instance", equalTo("/api/v1/datasets/no-such-set"));
        given().get("/api/v1/datasets/no-such-set/splits/train/manifest").then().statusCode(404).contentType(PROBLEM);
        given().get("/api/v1/datasets/synthetic-shapes/splits/validation/manifest").then().statusCode(404)
                .contentType(PROBLEM).body("detail", containsString("validation"));
        given().get("/api/v1/datasets/cifar10/splits/train/manifest").then().statusCode(503).contentType(PROBLEM)
                .body("detail", containsString("/register"));
    }

    @Test
    void fashionMnistManifestAndShardDownload() throws Exception {
        Response manifest = given().get("/api/v1/datasets/fashion-mnist/splits/train/manifest").then()
                .statusCode(200).body("dataset", equalTo("fashion-mnist")).body("split", equalTo("train"))
                .body("count", equalTo(60000)).body("height", equalTo(28)).body("width", equalTo(28))
                .body("channels", equalTo(1)).body("classes", equalTo(10)).body("mean[0]", equalTo(0.286f))
                .extract().response();
        List<Map<String, Object>> shards = manifest.jsonPath().getList("shards");
        assertEquals(6, shards.size());
        assertEquals(60_000, shards.stream().mapToInt(s -> (Integer) s.get("count")).sum());

        Map<String, Object> last = shards.get(5);
        String name = (String) last.get("name");
        String sha = (String) last.get("sha256");
        String url = "/api/v1/datasets/fashion-mnist/splits/train/shards/" + name;
        Response download = given().get(url).then().statusCode(200).contentType("application/octet-stream")
                .header("ETag", "\"" + sha + "\"")
                .header("Content-Length", String.valueOf(((Number) last.get("bytes")).longValue()))
                .extract().response();
        byte[] bytes = download.asByteArray();
        assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        ImageShard shard = ImageShard.read(new ByteArrayInputStream(bytes));
        assertEquals(10_000, shard.count());
        assertEquals(28, shard.width());

        given().header("If-None-Match", "\"" + sha + "\"").get(url).then().statusCode(304)
                .header("ETag", "\"" + sha + "\"");
        given().header("If-None-Match", "\"0000\"").get(url).then().statusCode(200);

        // The second request is a cache hit; metrics reflect the work.
        given().get("/api/v1/datasets/fashion-mnist/splits/train/manifest").then().statusCode(200)
                .body("shards[5].sha256", equalTo(sha));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : List.of("xscore_dataset_images_preprocessed_total{dataset=\"fashion-mnist\"",
                "xscore_dataset_preprocess_images_per_second{dataset=\"fashion-mnist\"",
                "xscore_dataset_bytes_served_total{dataset=\"fashion-mnist\"", "xscore_dataset_cache_bytes",
                "xscore_dataset_cache_hits_total{dataset=\"fashion-mnist\"")) {
            assertTrue(metrics.contains(metric), metric);
        }
        given().get("/api/v1/datasets/fashion-mnist").then().statusCode(200).body("available", equalTo(true));
    }

    @Test
    void syntheticShardsDownload() throws Exception {
        Response manifest = given().get("/api/v1/datasets/synthetic-shapes/splits/test/manifest").then()
                .statusCode(200).body("count", equalTo(1000)).body("channels", equalTo(3)).body("height", equalTo(32))
                .body("shards.name", hasItem("shard-00000.xsh")).extract().response();
        String sha = manifest.jsonPath().getString("shards[0].sha256");
        byte[] bytes = given().get("/api/v1/datasets/synthetic-shapes/splits/test/shards/shard-00000.xsh").then()
                .statusCode(200).extract().asByteArray();
        assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    /**
     * The content digest appears once both splits are prepared (POST prepare, idempotent), equals the SHA-256 of the
     * canonical text over the two manifests' shard checksums, and is the same when asked again.
     */
    @Test
    void contentDigestCoversThePreparedSplitsShardChecksums() {
        given().post("/api/v1/datasets/synthetic-textures/prepare").then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> given().get("/api/v1/datasets/synthetic-textures/status").then().extract().jsonPath()
                        .getString("contentDigest") != null);
        String digest = given().get("/api/v1/datasets/synthetic-textures/status").then().statusCode(200)
                .body("status", equalTo("ready")).extract().jsonPath().getString("contentDigest");
        List<String> train = given().get("/api/v1/datasets/synthetic-textures/splits/train/manifest").then()
                .statusCode(200).extract().jsonPath().getList("shards.sha256");
        List<String> test = given().get("/api/v1/datasets/synthetic-textures/splits/test/manifest").then()
                .statusCode(200).extract().jsonPath().getList("shards.sha256");
        StringBuilder canonical = new StringBuilder("xscore-dataset-content-v1\nsplit=train\n");
        train.forEach(sha -> canonical.append(sha).append('\n'));
        canonical.append("split=test\n");
        test.forEach(sha -> canonical.append(sha).append('\n'));
        assertEquals(io.xscore.common.hash.Sha256.hex(canonical.toString()), digest);
        // Prepare again: idempotent, and the 202 carries the same digest.
        given().post("/api/v1/datasets/synthetic-textures/prepare").then().statusCode(202)
                .body("contentDigest", equalTo(digest));
    }

    @Test
    void pathTraversalIsRejected() {
        String base = "/api/v1/datasets/synthetic-shapes/splits/test/shards/";
        for (String name : List.of("..%2Fmanifest.json", "%2e%2e%2fmanifest.json", "..%2F..%2F..%2Fetc%2Fpasswd",
                "manifest.json", "SHARD-00000.xsh", "shard-00000.xsh%00", "%2e%2e", "shard-00000.xsh.tmp",
                "..%5Cmanifest.json", "shard-99999.xsh")) {
            Response response = given().urlEncodingEnabled(false).get(base + name).then().extract().response();
            int status = response.statusCode();
            assertTrue(status == 400 || status == 404, name + " gave " + status);
            assertTrue(response.contentType().startsWith(PROBLEM), name + " gave " + response.contentType());
            assertTrue(!response.asString().contains("\"shards\"") && !response.asString().contains("root:"), name);
        }
        given().urlEncodingEnabled(false).get(base + "..%2Fmanifest.json").then().statusCode(400)
                .body("type", startsWith("urn:xscore:problem:"));
    }

    @Test
    void healthIsUp() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
