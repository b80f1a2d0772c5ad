package io.xscore.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.xscore.common.auth.Roles;
import io.xscore.testsupport.HostileChecks;
import io.xscore.testsupport.HostileRequests;
import io.xscore.testsupport.TestTokens;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-request corpus (test-support's {@code hostile/}) against every endpoint of the dataset service:
 * no 5xx, every 4xx a problem+json, no Java names, server paths or internal addresses in any answer, and nothing
 * registered or requested for any of them (the registry and the augmentation directory do not change).
 * <p>
 * Registration is tried with real directories: an allowed root ({@link RegistrationTest}'s profile, so the service is
 * not restarted for this test) holding a symbolic link that leads out of it, one that stays inside, a file and an
 * empty directory. An answer may repeat the path the caller sent, never where a link leads or where the server keeps
 * its data.
 */
@QuarkusTest
@TestProfile(RegistrationTest.Profile.class)
class DatasetHostileInputTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsAreRefusedWithoutLeakingInternalsAndStoreNothing() throws IOException {
        Path root = RegistrationResources.ALLOWED;
        Path outside = Files.createDirectories(RegistrationResources.BASE.resolve("hostile-outside/sub"))
                .getParent();
        Path target = Files.createDirectories(root.resolve("hostile-target"));
        Path linkOut = link(root.resolve("hostile-link-out"), outside);
        Path linkInside = link(root.resolve("hostile-link-inside"), target);
        Path file = root.resolve("hostile-file.txt");
        Files.writeString(file, "not a directory");
        Path empty = Files.createDirectories(root.resolve("hostile-empty"));
        Map<String, String> variables = Map.of("allowedRoot", root.toString(), "symlinkOut", linkOut.toString(),
                "symlinkInside", linkInside.toString(), "fileInRoot", file.toString(),
                "emptyDirInRoot", empty.toString());

        Path registry = RegistrationResources.BASE.resolve("cache/registry.json");
        String registryBefore = read(registry);
        List<String> datasetsBefore = given().get("/api/v1/datasets").then().statusCode(200).extract().path("id");
        List<String> augmentedBefore = listing(Path.of("target/test-augmented"));

        // as an admin: the requests must reach the validation behind the token check (DatasetAuthTest covers it)
        List<HostileRequests.HostileRequest> requests = HostileRequests.withAuthorization(
                HostileRequests.forService("dataset-service", variables), TestTokens.bearer("hostile-admin", Roles.ADMIN));
        // Where links lead and where the service keeps its data must never show; the corpus sends the root's path.
        List<String> serverPaths = List.of(outside.toString(), target.toString(),
                RegistrationResources.BASE.resolve("cache").toString(),
                RegistrationResources.BASE.resolve("data").toString(), Path.of("").toAbsolutePath().toString());
        List<String> failures = HostileChecks.replay(base.getHost(), base.getPort(), requests, serverPaths, 2);
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " hostile requests got a bad "
                + "answer:\n" + String.join("\n", failures));

        assertEquals(registryBefore, read(registry), "the registry changed");
        assertEquals(datasetsBefore, given().get("/api/v1/datasets").then().extract().path("id"));
        assertEquals(augmentedBefore, listing(Path.of("target/test-augmented")), "augmented epochs were requested");
    }

    private static Path link(Path link, Path to) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            Files.createSymbolicLink(link, to);
        }
        return link;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.map(Path::toString).sorted().toList();
        }
    }
}
