package io.xscore.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HeaderConfig;
import io.restassured.config.RestAssuredConfig;
import io.xscore.common.auth.LocalIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Bearer tokens for tests, signed with the test key pair in this module's resources
 * ({@code io/xscore/testsupport/auth/}: a key made for tests and used nowhere else) by the issuer the services trust in
 * their {@code %test} profile ({@link #ISSUER}). Services started as processes (end-to-end, fault tests) are given
 * {@link #publicKeyFile} and {@link #ISSUER} as their configuration.
 */
public final class TestTokens {

    public static final String ISSUER = "https://xscore.test/auth";
    private static final String RESOURCES = "io/xscore/testsupport/auth/";
    private static final PrivateKey KEY = readKey();
    private static final LocalIssuer TEST_ISSUER = new LocalIssuer(KEY, ISSUER);

    private TestTokens() {
    }

    /** A token for {@code subject} with {@code roles}, valid for ten minutes. */
    public static String token(String subject, String... roles) {
        return TEST_ISSUER.issue(subject, List.of(roles), Duration.ofMinutes(10));
    }

    /** A token for {@code subject} with {@code roles}, valid for {@code ttl} (services run as processes for long). */
    public static String token(Duration ttl, String subject, String... roles) {
        return TEST_ISSUER.issue(subject, List.of(roles), ttl);
    }

    /**
     * Writes what a service started as a process needs to check and present tokens into {@code dir}: the test public
     * key and a service token valid for {@code ttl}; returns the environment that points the service at them.
     */
    public static java.util.Map<String, String> processEnvironment(Path dir, Duration ttl) throws IOException {
        Path key = publicKeyFile(dir);
        Path serviceToken = dir.resolve("service.token");
        Files.writeString(serviceToken, token(ttl, "xscore-services", "service"));
        return java.util.Map.of("MP_JWT_VERIFY_ISSUER", ISSUER, "MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString(),
                "XSCORE_AUTH_SERVICE_TOKEN_FILE", serviceToken.toString());
    }

    /** {@code Bearer <token>}: an Authorization header value. */
    public static String bearer(String subject, String... roles) {
        return "Bearer " + token(subject, roles);
    }

    /** A token that expired a minute ago (issued eleven minutes ago for ten). */
    public static String expired(String subject, String... roles) {
        return TEST_ISSUER.issue(subject, List.of(roles), Instant.now().minus(Duration.ofMinutes(11)),
                Duration.ofMinutes(10));
    }

    /** A token signed with the right key by an issuer the services do not trust. */
    public static String fromIssuer(String issuer, String subject, String... roles) {
        return new LocalIssuer(KEY, issuer).issue(subject, List.of(roles), Duration.ofMinutes(10));
    }

    /** A token from the right issuer name, signed by another key (a forged token). */
    public static String forged(String subject, String... roles) {
        return new LocalIssuer(LocalIssuer.newKeyPair().getPrivate(), ISSUER)
                .issue(subject, List.of(roles), Duration.ofMinutes(10));
    }

    /**
     * Makes every RestAssured request of the test carry a token for {@code subject} with {@code roles} (an explicit
     * Authorization header on one request replaces it). Call in a {@code @BeforeEach}: the setting is global.
     */
    public static void authenticateAs(String subject, String... roles) {
        RestAssured.config = RestAssuredConfig.config()
                .headerConfig(HeaderConfig.headerConfig().overwriteHeadersWithName("Authorization"));
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", bearer(subject, roles)).build();
    }

    /** RestAssured requests without a token again. */
    public static void anonymous() {
        RestAssured.requestSpecification = null;
    }

    /** The test public key as a file (for services started as processes: MP_JWT_VERIFY_PUBLICKEY_LOCATION). */
    public static Path publicKeyFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("test-public-key.pem");
        Files.writeString(file, resource("test-public-key.pem"));
        return file;
    }

    /**
     * Writes the test key pair as {@code dir/private-key.pem} and {@code dir/public-key.pem}, where the local stack's
     * launcher keeps its own ({@code $XSCORE_HOME/auth}): a stack started there trusts this class's tokens.
     */
    public static void writeKeyPair(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(LocalIssuer.PRIVATE_KEY_FILE), resource("test-private-key.pem"));
        Files.writeString(dir.resolve(LocalIssuer.PUBLIC_KEY_FILE), resource("test-public-key.pem"));
    }

    private static PrivateKey readKey() {
        try {
            String pem = resource("test-private-key.pem");
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException("the test private key cannot be read", e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
