package io.xscore.common.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A token issuer for a stack without an identity provider: the local stack ({@code ./xscore up} makes the key pair,
 * {@code ./xscore token} prints tokens) and the tests. It signs RS256 JWTs with the claims the services check
 * (MicroProfile JWT: {@code iss}, {@code sub}, {@code upn}, {@code groups}, {@code iat}, {@code exp}, {@code jti}, and
 * {@code aud} = {@value #AUDIENCE}); the services hold only the public key. In a real deployment the platform's
 * identity provider issues the tokens instead and this class is not used.
 */
public final class LocalIssuer {

    /** The issuer the local stack and its services agree on (env {@code XSCORE_AUTH_ISSUER} changes both). */
    public static final String DEFAULT_ISSUER = "https://xscore.local/auth";
    public static final String AUDIENCE = "xscore";
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";

    private final PrivateKey key;
    private final String issuer;

    public LocalIssuer(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** The issuer whose private key is {@code dir/private-key.pem}. */
    public static LocalIssuer fromDirectory(Path dir, String issuer) throws IOException {
        return new LocalIssuer(readPrivateKey(dir.resolve(PRIVATE_KEY_FILE)), issuer);
    }

    /**
     * A signed token for {@code subject} with the given roles, valid from now for {@code ttl}. Roles must be ones
     * {@link Roles} knows: a typo would give a token that can do nothing, which is better refused here.
     */
    public String issue(String subject, Collection<String> roles, Duration ttl) {
        return issue(subject, roles, Instant.now(), ttl);
    }

    /** As {@link #issue(String, Collection, Duration)}, issued at {@code issuedAt} (tests make expired tokens). */
    public String issue(String subject, Collection<String> roles, Instant issuedAt, Duration ttl) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a token needs a subject");
        }
        for (String role : roles) {
            if (!Roles.isKnown(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "' (known: " + Roles.ALL + ")");
            }
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setAudience(AUDIENCE);
        claims.setStringListClaim("groups", new ArrayList<>(roles));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(ttl).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue("xscore-local");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** A new RSA key pair (2048 bits, what RS256 asks for at least). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /**
     * Makes {@code dir/private-key.pem} (owner-only) and {@code dir/public-key.pem} unless both exist; returns whether
     * it made them. Each file is written under a temporary name and moved into place, so a crash leaves no half key.
     */
    public static boolean ensureKeyPair(Path dir) throws IOException {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
        if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
            return false;
        }
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        writeAtomically(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        writeAtomically(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
        return true;
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(file))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not a PKCS#8 PEM RSA private key", e);
        }
    }

    /** The public half of a private key read from a file (the local stack keeps both; tests need only this). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA private key", e);
        }
    }

    /** PEM text of a DER-encoded key ({@code PRIVATE KEY}: PKCS#8; {@code PUBLIC KEY}: X.509 SubjectPublicKeyInfo). */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static void writeAtomically(Path file, String text, boolean ownerOnly) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        if (ownerOnly) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the directory's protection is all there is
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
