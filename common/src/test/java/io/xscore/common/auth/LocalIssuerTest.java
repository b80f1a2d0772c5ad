package io.xscore.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalIssuerTest {

    @TempDir
    Path dir;

    @Test
    void aTokenVerifiesWithThePublicKeyFileAndCarriesTheClaimsTheServicesRead() throws Exception {
        assertTrue(LocalIssuer.ensureKeyPair(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(LocalIssuer.PRIVATE_KEY_FILE))));
        String token = LocalIssuer.fromDirectory(dir, "https://issuer.test")
                .issue("alice", List.of(Roles.SUBMITTER), Duration.ofMinutes(5));

        JwtClaims claims = consumer(publicKey(dir), "https://issuer.test").processToClaims(token);
        assertEquals("alice", claims.getSubject());
        assertEquals("alice", claims.getStringClaimValue("upn"));
        assertEquals(List.of("submitter"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of(LocalIssuer.AUDIENCE), claims.getAudience());
        assertEquals(300, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());

        assertThrows(InvalidJwtException.class, () -> consumer(publicKey(dir), "https://other.test")
                .processToClaims(token), "another issuer's check refuses it");
    }

    @Test
    void anExistingKeyPairIsKeptSoIssuedTokensStayValid() throws Exception {
        assertTrue(LocalIssuer.ensureKeyPair(dir));
        String before = Files.readString(dir.resolve(LocalIssuer.PUBLIC_KEY_FILE));
        assertFalse(LocalIssuer.ensureKeyPair(dir));
        assertEquals(before, Files.readString(dir.resolve(LocalIssuer.PUBLIC_KEY_FILE)));
        assertEquals(publicKey(dir), LocalIssuer.publicKeyOf(
                LocalIssuer.readPrivateKey(dir.resolve(LocalIssuer.PRIVATE_KEY_FILE))));
    }

    @Test
    void unknownRolesAndMissingSubjectsAreRefused() throws Exception {
        LocalIssuer.ensureKeyPair(dir);
        LocalIssuer issuer = LocalIssuer.fromDirectory(dir, LocalIssuer.DEFAULT_ISSUER);
        assertThrows(IllegalArgumentException.class, () -> issuer.issue("bob", List.of("admn"), Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> issuer.issue(" ", List.of("viewer"), Duration.ofMinutes(1)));
    }

    @Test
    void higherRolesImplyTheLowerOnes() {
        assertEquals(Set.of("admin", "submitter", "viewer"), Roles.withImplied(List.of("admin")));
        assertEquals(Set.of("submitter", "viewer"), Roles.withImplied(List.of("submitter")));
        assertEquals(Set.of("service", "viewer"), Roles.withImplied(List.of("service")));
        assertEquals(Set.of("viewer"), Roles.withImplied(List.of("viewer")));
        assertEquals(Set.of("other"), Roles.withImplied(List.of("other")));
    }

    private static PublicKey publicKey(Path dir) throws Exception {
        String pem = Files.readString(dir.resolve(LocalIssuer.PUBLIC_KEY_FILE));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static JwtConsumer consumer(PublicKey key, String issuer) {
        return new JwtConsumerBuilder().setVerificationKey(key).setExpectedIssuer(issuer)
                .setExpectedAudience(LocalIssuer.AUDIENCE).setRequireExpirationTime().build();
    }
}
