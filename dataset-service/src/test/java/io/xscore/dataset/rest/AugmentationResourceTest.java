package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.xscore.augment.Augmentation;
import io.xscore.common.auth.Roles;
import io.xscore.common.shard.ImageShard;
import io.xscore.testsupport.TestTokens;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The augmentation cache's HTTP contract on synthetic-shapes (the cifar-style paper pipeline, cacheable). Each test
 * uses a fresh random seed, so its key is new and its epochs are really computed, whatever earlier runs left in
 * target/test-augmented.
 */
@QuarkusTest
class AugmentationResourceTest {

    /** Every request of these tests is made as an admin (DatasetAuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("dataset-tests", Roles.ADMIN);
    }

    static final String PROBLEM = "application/problem+json";
    static final String BASE = "/api/v1/datasets/synthetic-shapes/augmented";

    static Map<String, Object> body(String split, String augmentation, int resolution, long seed, List<Integer> epochs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("split", split);
        body.put("augmentation", augmentation);
        body.put("resolution", resolution);
        body.put("seed", seed);
        body.put("epochs", epochs);
        return body;
    }

    static long freshSeed() {
        return ThreadLocalRandom.current().nextLong(1L << 32, 1L << 40); // a JSON long, never an int
    }

    static String post(Map<String, Object> body) {
        Response response = given().contentType(ContentType.JSON).body(body).post(BASE).then().statusCode(202)
                .contentType("application/json").body("key", matchesPattern("[0-9a-f]{16}")).extract().response();
        String key = response.jsonPath().getString("key");
        assertTrue(response.header("Location").endsWith(BASE + "/" + key), response.header("Location"));
        return key;
    }

    static void awaitReady(String key, int epochs) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<String> states = given().get(BASE + "/" + key).then().statusCode(200).extract().jsonPath()
                    .getList("epochs.state");
            assertTrue(!states.contains("FAILED"), states.toString());
            return states.size() == epochs && states.stream().allMatch("READY"::equals);
        });
    }

    @Test
    void requestPollManifestAndShards() throws Exception {
        long seed = freshSeed();
        String description = Augmentation.forJob("paper", "synthetic-shapes").description();
        String key = post(body("train", "paper", 16, seed, List.of(1, 0)));
        awaitReady(key, 2);

        given().get(BASE + "/" + key).then().statusCode(200).body("key", equalTo(key))
                .body("dataset", equalTo("synthetic-shapes")).body("split", equalTo("train"))
                .body("augmentation", equalTo("paper")).body("pipeline", equalTo(description))
                .body("resolution", equalTo(16)).body("seed", equalTo(seed))
                .body("sourceSha256", matchesPattern("[0-9a-f]{64}"))
                .body("epochs.epoch", equalTo(List.of(0, 1))).body("epochs[0].imagesDone", equalTo(5000))
                .body("epochs[0].imagesTotal", equalTo(5000)).body("epochs[0].error", nullValue());

        String epoch = BASE + "/" + key + "/epochs/0";
        Response manifest = given().get(epoch + "/manifest").then().statusCode(200)
                .body("dataset", equalTo("synthetic-shapes")).body("split", equalTo("train"))
                .body("count", equalTo(5000)).body("height", equalTo(16)).body("width", equalTo(16))
                .body("channels", equalTo(3)).body("classes", equalTo(10))
                .body("pipeline", startsWith("xscore-augment-v1;xscore-preprocess-v"))
                .body("augmentation", equalTo("paper/epoch-0/seed-" + seed + ": " + description))
                .extract().response();
        String name = manifest.jsonPath().getString("shards[0].name");
        String sha = manifest.jsonPath().getString("shards[0].sha256");
        long size = manifest.jsonPath().getLong("shards[0].bytes");
        int count = manifest.jsonPath().getInt("shards[0].count");

        String url = epoch + "/shards/" + name;
        byte[] bytes = given().get(url).then().statusCode(200).contentType("application/octet-stream")
                .header("ETag", "\"" + sha + "\"").header("Content-Length", String.valueOf(size))
                .extract().asByteArray();
        assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        ImageShard shard = ImageShard.read(new ByteArrayInputStream(bytes));
        assertEquals(count, shard.count());
        assertEquals(16, shard.height());
        assertEquals(3, shard.channels());

        given().header("If-None-Match", "\"" + sha + "\"").get(url).then().statusCode(304)
                .header("ETag", "\"" + sha + "\"");
        byte[] part = given().header("Range", "bytes=100-1123").get(url).then().statusCode(206)
                .header("Content-Range", "bytes 100-1123/" + size).header("Content-Length", "1024")
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 1124), part);
        given().header("Range", "bytes=0-9").header("If-Range", "\"0000\"").get(url).then().statusCode(200)
                .header("Content-Length", String.valueOf(size));
        given().header("Range", "bytes=" + size + "-").get(url).then().statusCode(416).contentType(PROBLEM)
                .header("Content-Range", "bytes */" + size);

        // Asking again changes nothing: the epochs stay READY (not queued again).
        given().contentType(ContentType.JSON).body(body("train", "paper", 16, seed, List.of(0, 1))).post(BASE)
                .then().statusCode(202).body("epochs.state", equalTo(List.of("READY", "READY")));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : List.of("xscore_dataset_augmented_images_total{dataset=\"synthetic-shapes\"",
                "xscore_dataset_augmentation_images_per_second", "xscore_dataset_augmentation_cache_bytes",
                "xscore_dataset_augmentation_cache_hits_total{dataset=\"synthetic-shapes\"",
                "xscore_dataset_bytes_served_total{dataset=\"synthetic-shapes\"")) {
            assertTrue(metrics.contains(metric), metric);
        }
    }

    @Test
    void problems() {
        given().contentType(ContentType.JSON).body(body("train", "paper", 32, 0, List.of(0)))
                .post("/api/v1/datasets/no-such-set/augmented").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("urn:xscore:problem:unknown-dataset"));
        given().contentType(ContentType.JSON).body(body("train", "light", 32, 0, List.of(0))).post(BASE).then()
                .statusCode(422).contentType(PROBLEM).body("status", equalTo(422))
                .body("type", equalTo("urn:xscore:problem:augmentation-not-cacheable"))
                .body("detail", containsString("light"));
        given().contentType(ContentType.JSON).body(body("test", "paper", 32, 0, List.of(0))).post(BASE).then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("\"split\""));
        given().contentType(ContentType.JSON).body(body("train", "paper", 4, 0, List.of(0))).post(BASE).then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("\"resolution\""));
        given().contentType(ContentType.JSON).body(body("train", "paper", 32, 0, List.of())).post(BASE).then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("\"epochs\""));
        given().contentType(ContentType.JSON).body(body("train", "paper", 32, -3, List.of(0))).post(BASE).then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("\"seed\""));

        given().urlEncodingEnabled(false).get(BASE + "/..%2F..%2Fetc").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("16 lower-case hex digits"));
        given().get(BASE + "/0123456789ABCDEF").then().statusCode(400).contentType(PROBLEM);
        given().get(BASE + "/0123456789abcdef").then().statusCode(404).contentType(PROBLEM);

        String key = post(body("train", "paper", 8, freshSeed(), List.of(0)));
        given().urlEncodingEnabled(false).get(BASE + "/" + key + "/epochs/0/shards/..%2Fx.xsh").then()
                .statusCode(400).contentType(PROBLEM).body("type", equalTo("urn:xscore:problem:bad-shard-name"));
        given().urlEncodingEnabled(false).get(BASE + "/..%2F..%2Fetc/epochs/0/shards/shard-00000.xsh").then()
                .statusCode(400).contentType(PROBLEM);
        given().get(BASE + "/" + key + "/epochs/5/manifest").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("never requested"));
        given().get(BASE + "/" + key + "/epochs/abc/manifest").then().statusCode(400).contentType(PROBLEM);
        awaitReady(key, 1);
        given().get(BASE + "/" + key + "/epochs/0/shards/shard-99999.xsh").then().statusCode(404)
                .contentType(PROBLEM);
    }

    @Test
    void anEpochNotYetReadyIsAConflict() {
        // 64 px epochs take a while: the second is still QUEUED (behind the first) or RUNNING when asked right away.
        String key = post(body("train", "paper", 64, freshSeed(), List.of(0, 1)));
        Response response = given().get(BASE + "/" + key + "/epochs/1/manifest").then().extract().response();
        if (response.statusCode() == 409) {
            assertEquals("urn:xscore:problem:epoch-not-ready", response.jsonPath().getString("type"));
            String detail = response.jsonPath().getString("detail");
            assertTrue(detail.matches(".* is (QUEUED|RUNNING) \\(\\d+/5000 images done\\)"), detail);
        } else {
            assertEquals(200, response.statusCode(), response.asString()); // only on a very fast machine
        }
        awaitReady(key, 2);
        given().get(BASE + "/" + key + "/epochs/1/manifest").then().statusCode(200).body("height", equalTo(64));
    }
}
