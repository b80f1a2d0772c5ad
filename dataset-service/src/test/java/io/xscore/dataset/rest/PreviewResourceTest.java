package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.xscore.augment.Corruption;
import io.xscore.augment.LowResolution;
import io.xscore.augment.RgbImage;
import io.xscore.augment.SuiteImages;
import io.xscore.common.shard.ImageShard;
import io.xscore.testsupport.TestTokens;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/datasets/{id}/preview/{split}/{index}.png}: the PNG is exactly the image the robustness suite
 * evaluates ({@link SuiteImages} on the stored image, which the tests read from the split's shard themselves), seeded
 * corruptions follow the seed, and bad requests are problems. Asked without a token: a read, open like the others.
 */
@QuarkusTest
class PreviewResourceTest {

    static final String PROBLEM = "application/problem+json";
    static final String SHAPES = "/api/v1/datasets/synthetic-shapes";

    @BeforeEach
    void anonymous() {
        TestTokens.anonymous();
    }

    /** The stored image {@code index} of a split (HWC), read from its first shard. */
    private static ImageShard shard(String dataset, String split) throws IOException {
        String name = given().get("/api/v1/datasets/" + dataset + "/splits/" + split + "/manifest").then()
                .statusCode(200).extract().jsonPath().getString("shards[0].name");
        byte[] bytes = given().get("/api/v1/datasets/" + dataset + "/splits/" + split + "/shards/" + name).then()
                .statusCode(200).extract().asByteArray();
        return ImageShard.read(new ByteArrayInputStream(bytes));
    }

    private static byte[] png(String path) {
        return given().get(path).then().statusCode(200).contentType("image/png").extract().asByteArray();
    }

    /** The decoded PNG as an 8-bit RGB image (CHW). */
    private static RgbImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "not a PNG");
        RgbImage out = RgbImage.blank(image.getHeight(), image.getWidth());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                out.set(0, y, x, rgb >> 16 & 0xFF);
                out.set(1, y, x, rgb >> 8 & 0xFF);
                out.set(2, y, x, rgb & 0xFF);
            }
        }
        return out;
    }

    private static RgbImage testImage(ImageShard shard, int i, int size) {
        return SuiteImages.testImage(shard.pixels(), i * shard.imageBytes(), shard.height(), shard.width(),
                shard.channels(), size);
    }

    @Test
    void theCleanPreviewIsTheTestTransformsImage() throws IOException {
        ImageShard test = shard("synthetic-shapes", "test");
        RgbImage at64 = decode(png(SHAPES + "/preview/test/7.png?size=64"));
        assertEquals(64, at64.height());
        assertEquals(64, at64.width());
        assertArrayEquals(testImage(test, 7, 64).data(), at64.data());
        // without size: the stored size (32 px), which is the stored image itself
        RgbImage native32 = decode(png(SHAPES + "/preview/test/7.png"));
        assertEquals(32, native32.height());
        byte[] hwc = new byte[32 * 32 * 3];
        native32.toHwc(hwc, 0);
        assertArrayEquals(Arrays.copyOfRange(test.pixels(), 7 * 3072, 8 * 3072), hwc);
        assertArrayEquals(native32.data(), decode(png(SHAPES + "/preview/test/7.png?perturbation=clean")).data());
    }

    @Test
    void greyImagesAreShownAsTheModelSeesThem() throws IOException {
        ImageShard test = shard("fashion-mnist", "test");
        RgbImage clean = decode(png("/api/v1/datasets/fashion-mnist/preview/test/3.png?size=32"));
        assertArrayEquals(testImage(test, 3, 32).data(), clean.data());
        RgbImage low = decode(png("/api/v1/datasets/fashion-mnist/preview/test/3.png?size=32"
                + "&perturbation=low-resolution&shorterSide=8"));
        assertArrayEquals(SuiteImages.lowResolution(new LowResolution(8, 32), test.pixels(), 3 * test.imageBytes(),
                28, 28, 1).data(), low.data());
    }

    @Test
    void theLowResolutionPreviewIsTheSuitesImage() throws IOException {
        ImageShard test = shard("synthetic-shapes", "test");
        RgbImage low = decode(png(SHAPES + "/preview/test/11.png?size=96&perturbation=low-resolution&shorterSide=16"));
        assertEquals(96, low.width());
        assertArrayEquals(SuiteImages.lowResolution(new LowResolution(16, 96), test.pixels(), 11 * 3072, 32, 32, 3)
                .data(), low.data());
    }

    @Test
    void theCorruptionPreviewIsTheSuitesImageWithItsSeed() throws IOException {
        ImageShard test = shard("synthetic-shapes", "test");
        for (String name : List.of("gaussian_noise", "fog", "pixelate")) {
            RgbImage shown = decode(png(SHAPES + "/preview/test/5.png?size=48&perturbation=corruption&corruption="
                    + name + "&severity=3&seed=9"));
            Corruption corruption = SuiteImages.corruption(name, 3, 48);
            RgbImage expected = SuiteImages.corrupted(corruption, SuiteImages.corruptionSeed(9, name, 3),
                    testImage(test, 5, 48), 5);
            assertArrayEquals(expected.data(), shown.data(), name);
        }
        String noise = SHAPES + "/preview/test/5.png?perturbation=corruption&corruption=gaussian_noise&severity=2";
        byte[] seed0 = png(noise + "&seed=0");
        assertArrayEquals(seed0, png(noise + "&seed=0"), "same seed, same bytes");
        assertArrayEquals(seed0, png(noise), "the suite's default seed is 0");
        assertFalse(Arrays.equals(seed0, png(noise + "&seed=1")), "another seed, another image");
        // the per-image seed depends on the index: another image of the same pixels would get other noise
        assertFalse(Arrays.equals(decode(seed0).data(), SuiteImages.corrupted(SuiteImages.corruption(
                "gaussian_noise", 2, 32), SuiteImages.corruptionSeed(0, "gaussian_noise", 2), testImage(test, 5, 32),
                6).data()));
    }

    @Test
    void scaleRepeatsEachPixel() throws IOException {
        RgbImage one = decode(png(SHAPES + "/preview/test/2.png?size=40&perturbation=corruption&corruption=contrast"
                + "&severity=4"));
        RgbImage four = decode(png(SHAPES + "/preview/test/2.png?size=40&perturbation=corruption&corruption=contrast"
                + "&severity=4&scale=4"));
        assertEquals(160, four.height());
        assertEquals(160, four.width());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 160; y++) {
                for (int x = 0; x < 160; x++) {
                    assertEquals(one.get(c, y / 4, x / 4), four.get(c, y, x));
                }
            }
        }
    }

    private static void problem(String query, int status, String type, String field) {
        Response answer = given().get(SHAPES + "/preview/test/" + query);
        answer.then().statusCode(status).contentType(startsWith(PROBLEM))
                .body("type", equalTo("urn:xscore:problem:" + type));
        if (field != null) {
            answer.then().body("field", equalTo(field));
        }
    }

    @Test
    void badRequestsAreProblems() {
        problem("0.png?size=513", 400, "invalid-request", "size");
        problem("0.png?size=7", 400, "invalid-request", "size");
        problem("0.png?size=big", 400, "invalid-request", "size");
        problem("x.png", 400, "invalid-request", "index");
        problem("-1.png", 400, "invalid-request", "index");
        problem("1000.png", 404, "unknown-image", null);
        problem("0.png?perturbation=blur", 400, "invalid-request", "perturbation");
        problem("0.png?perturbation=low-resolution", 400, "invalid-request", "shorterSide");
        problem("0.png?perturbation=low-resolution&shorterSide=32", 400, "invalid-request", "shorterSide");
        problem("0.png?size=64&perturbation=low-resolution&shorterSide=64", 400, "invalid-request", "shorterSide");
        problem("0.png?perturbation=corruption&severity=3", 400, "invalid-request", "corruption");
        problem("0.png?perturbation=corruption&corruption=frost&severity=3", 400, "invalid-request", "corruption");
        problem("0.png?perturbation=corruption&corruption=fog", 400, "invalid-request", "severity");
        problem("0.png?perturbation=corruption&corruption=fog&severity=6", 400, "invalid-request", "severity");
        problem("0.png?perturbation=corruption&corruption=fog&severity=0", 400, "invalid-request", "severity");
        problem("0.png?perturbation=corruption&corruption=fog&severity=1&seed=x", 400, "invalid-request", "seed");
        problem("0.png?corruption=fog", 400, "invalid-request", "corruption");
        problem("0.png?seed=3", 400, "invalid-request", "seed");
        problem("0.png?size=300&scale=4", 400, "invalid-request", "scale");
        problem("0.png?scale=17", 400, "invalid-request", "scale");
        problem("0.png?perturbation=adversarial", 400, "adversarial-preview-unavailable", "perturbation");
        given().get(SHAPES + "/preview/validation/0.png").then().statusCode(404).contentType(startsWith(PROBLEM))
                .body("type", equalTo("urn:xscore:problem:unknown-split"));
        given().get("/api/v1/datasets/no-such-set/preview/test/0.png").then().statusCode(404)
                .contentType(startsWith(PROBLEM)).body("type", equalTo("urn:xscore:problem:unknown-dataset"));
        given().get(SHAPES + "/preview/test/0.png?perturbation=corruption&corruption=frost&severity=3").then()
                .body("detail", containsString("frost-procedural"));
    }

    @Test
    void theOpenApiDocumentDescribesThePreview() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/datasets/{id}/preview/{split}/{index}.png"))
                .body(containsString("Adversarial (PGD) examples need a job's stored weights"));
    }
}
