package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.xscore.common.auth.Roles;
import io.xscore.dataset.format.ImageFixtures;
import io.xscore.testsupport.TestTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, background preparation with progress, shard byte ranges and downloads, over HTTP. */
@QuarkusTest
@TestProfile(RegistrationTest.Profile.class)
class RegistrationTest {

    /** Every request of these tests is made as an admin (DatasetAuthTest covers what other callers get). */
    @BeforeEach
    void authenticate() {
        TestTokens.authenticateAs("dataset-tests", Roles.ADMIN);
    }

    /** Own profile (own cache, data dir, allowed roots and download sources). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RegistrationResources.class));
        }
    }

    static final String PROBLEM = "application/problem+json";

    private static void register(String id, String body, int status) {
        given().contentType(ContentType.JSON).body(body).post("/api/v1/datasets/" + id + "/register").then()
                .statusCode(status);
    }

    @Test
    void badPathsAreRejected() throws Exception {
        Path inside = Files.createDirectories(RegistrationResources.ALLOWED.resolve("x/train"));
        for (String path : List.of("relative/dir", RegistrationResources.ALLOWED + "/x/../../..", "/etc",
                RegistrationResources.ALLOWED + "/absent", "")) {
            given().contentType(ContentType.JSON).body(Map.of("path", path)).post("/api/v1/datasets/mine/register")
                    .then().statusCode(400).contentType(PROBLEM).body("type", equalTo("urn:xscore:problem:bad-path"));
        }
        // A symbolic link inside the root that points outside is outside.
        Path link = RegistrationResources.ALLOWED.resolve("link");
        Files.createSymbolicLink(link, Path.of("/usr/share"));
        given().contentType(ContentType.JSON).body(Map.of("path", link.toString()))
                .post("/api/v1/datasets/mine/register").then().statusCode(400)
                .body("detail", containsString("outside the allowed roots"));
        // Inside, but no dataset layout there.
        given().contentType(ContentType.JSON).body(Map.of("path", inside.getParent().toString()))
                .post("/api/v1/datasets/cifar10/register").then().statusCode(400)
                .body("type", equalTo("urn:xscore:problem:layout-not-found"));
        given().contentType(ContentType.JSON).body(Map.of("path", inside.getParent().toString()))
                .post("/api/v1/datasets/Bad..Id/register").then().statusCode(400);
        given().post("/api/v1/datasets/no-such-id/prepare").then().statusCode(404).contentType(PROBLEM);
        given().get("/q/health").then().statusCode(200);
    }

    @Test
    void customImageFolderIsRegisteredPreparedAndServedWithRanges() throws Exception {
        Path root = RegistrationResources.ALLOWED.resolve("mine");
        for (int i = 0; i < 3; i++) {
            ImageFixtures.image(root.resolve("train/apples/" + i + ".jpg"), 50, 40, 0xcc2222);
            ImageFixtures.image(root.resolve("train/limes/" + i + ".png"), 40, 50, 0x22cc22);
        }
        ImageFixtures.image(root.resolve("test/apples/t.jpg"), 30, 30, 0xcc2222);
        ImageFixtures.image(root.resolve("test/limes/t.jpg"), 30, 30, 0x22cc22);
        given().contentType(ContentType.JSON).body(Map.of("path", root.toString(), "resolution", 24))
                .post("/api/v1/datasets/mine/register").then().statusCode(200)
                .body("id", equalTo("mine")).body("kind", equalTo("custom")).body("classes", equalTo(2))
                .body("trainImages", equalTo(6)).body("testImages", equalTo(2)).body("status", equalTo("not-prepared"));
        given().get("/api/v1/datasets").then().statusCode(200).body("id", hasItem("mine"));
        assertTrue(Files.readString(RegistrationResources.BASE.resolve("cache/registry.json")).contains(root.toString()),
                "persisted");

        given().post("/api/v1/datasets/mine/prepare").then().statusCode(202)
                .header("Location", containsString("/api/v1/datasets/mine/status")).body("id", equalTo("mine"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(
                given().get("/api/v1/datasets/mine/status").then().extract().path("status")));
        given().get("/api/v1/datasets/mine/status").then().body("splits.train.state", equalTo("ready"))
                .body("splits.train.imagesDone", equalTo(6)).body("splits.train.imagesTotal", equalTo(6));

        var manifest = given().get("/api/v1/datasets/mine/splits/train/manifest").then().statusCode(200)
                .body("height", equalTo(24)).body("channels", equalTo(3)).body("count", equalTo(6))
                .body("classNames", equalTo(List.of("apples", "limes"))).body("computedMean", notNullValue())
                .body("augmentation", equalTo("none")).extract().jsonPath();
        String name = manifest.getString("shards[0].name");
        int size = manifest.getInt("shards[0].bytes");
        String sha = manifest.getString("shards[0].sha256");
        String url = "/api/v1/datasets/mine/splits/train/shards/" + name;
        byte[] whole = given().get(url).then().statusCode(200).header("Accept-Ranges", "bytes").extract().asByteArray();
        assertEquals(size, whole.length);

        byte[] head = given().header("Range", "bytes=0-3").get(url).then().statusCode(206)
                .header("Content-Range", "bytes 0-3/" + size).header("ETag", "\"" + sha + "\"").extract().asByteArray();
        assertArrayEquals("XSH1".getBytes(), head);
        byte[] tail = given().header("Range", "bytes=-10").get(url).then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 10) + "-" + (size - 1) + "/" + size).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, size - 10, size), tail);
        byte[] rest = given().header("Range", "bytes=100-").get(url).then().statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, 100, size), rest);
        given().header("Range", "bytes=" + size + "-").get(url).then().statusCode(416)
                .header("Content-Range", "bytes */" + size).contentType(PROBLEM);
        given().header("Range", "bytes=0-3").header("If-Range", "\"stale\"").get(url).then().statusCode(200);
        given().header("Range", "bytes=0-3").header("If-None-Match", "\"" + sha + "\"").get(url).then().statusCode(304);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("xscore_dataset_bytes_served_total{dataset=\"mine\"}"), "bytes served");
        assertTrue(metrics.contains("xscore_dataset_images_preprocessed_total{dataset=\"mine\"}"));
    }

    @Test
    void downloadUnpacksVerifiesAndRegisters() {
        given().get("/api/v1/datasets/cifar100").then().body("status", equalTo("missing-data"))
                .body("detail", containsString("/download"));
        given().post("/api/v1/datasets/cifar100/download").then().statusCode(202)
                .body("state", equalTo("downloading"));
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("done", "failed").contains(
                given().get("/api/v1/datasets/cifar100/download").then().extract().path("state")));
        given().get("/api/v1/datasets/cifar100/download").then().body("state", equalTo("done"))
                .body("verified[0]", containsString("sha256"));
        assertTrue(Files.isRegularFile(RegistrationResources.BASE.resolve("data/cifar100/cifar-100-binary/train.bin")));
        given().get("/api/v1/datasets/cifar100").then().body("available", equalTo(true))
                .body("status", equalTo("not-prepared"));
        given().get("/api/v1/datasets/cifar100/splits/train/manifest").then().statusCode(200)
                .body("count", equalTo(3)).body("height", equalTo(32)).body("classes", equalTo(100));

        // The wrong checksum: failed with the reason, nothing unpacked or registered.
        given().post("/api/v1/datasets/imagenette/download").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("done", "failed").contains(
                given().get("/api/v1/datasets/imagenette/download").then().extract().path("state")));
        given().get("/api/v1/datasets/imagenette/download").then().body("state", equalTo("failed"))
                .body("error", containsString("SHA-256"));
        assertFalse(Files.exists(RegistrationResources.BASE.resolve("data/imagenette")));
        assertFalse(Files.exists(RegistrationResources.BASE.resolve("data/.downloads/imagenette/imagenette2-160.tgz")));
        given().get("/api/v1/datasets/imagenette").then().body("status", equalTo("missing-data"));
        given().post("/api/v1/datasets/synthetic-shapes/download").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void registeredCifar10IsServed() throws Exception {
        Path dir = RegistrationResources.ALLOWED.resolve("c10/cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) {
            ImageFixtures.cifarBatch(dir.resolve("data_batch_" + b + ".bin"), 1, b);
        }
        ImageFixtures.cifarBatch(dir.resolve("test_batch.bin"), 1, 0, 1);
        register("cifar10", "{\"path\": \"" + dir.getParent() + "\"}", 200);
        given().get("/api/v1/datasets/cifar10/splits/test/manifest").then().statusCode(200)
                .body("count", equalTo(2)).body("mean[0]", equalTo(0.4914f))
                .body("pipeline", containsString("xscore-preprocess-v2"));
        register("ham10000", "{\"path\": \"" + dir.getParent() + "\", \"split\": \"random\"}", 400);
    }
}
