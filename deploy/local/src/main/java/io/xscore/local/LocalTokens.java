package io.xscore.local;

import io.xscore.common.auth.LocalIssuer;
import io.xscore.common.auth.Roles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local stack's token issuer ({@code ./xscore up} and {@code ./xscore token}): {@code init} makes the stack's key
 * pair once (kept across restarts, so tokens printed earlier stay valid until they expire) and writes the services' own
 * token; {@code issue} prints a token for a person. A deployment with an identity provider uses neither.
 */
@Command(name = "xscore-tokens", mixinStandardHelpOptions = true, subcommands = {LocalTokens.Init.class,
        LocalTokens.Issue.class}, description = "Key pair and bearer tokens of the local stack")
public class LocalTokens implements Callable<Integer> {

    /** The file, in the key directory, that holds the services' own token ({@code xscore.auth.service-token-file}). */
    public static final String SERVICE_TOKEN_FILE = "service.token";

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalTokens()).execute(args));
    }

    @Command(name = "init", description = "Make the key pair if missing; write a fresh service token")
    static class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "key directory")
        Path dir;

        @Option(names = "--issuer", defaultValue = LocalIssuer.DEFAULT_ISSUER)
        String issuer;

        @Option(names = "--service-ttl", defaultValue = "P30D", description = "ISO-8601 duration of the service token")
        Duration serviceTtl;

        @Override
        public Integer call() throws Exception {
            boolean made = LocalIssuer.ensureKeyPair(dir);
            String token = LocalIssuer.fromDirectory(dir, issuer)
                    .issue("xscore-services", List.of(Roles.SERVICE), serviceTtl);
            Path file = dir.resolve(SERVICE_TOKEN_FILE);
            Path tmp = dir.resolve(SERVICE_TOKEN_FILE + ".tmp");
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            System.out.println(made ? "made a new key pair in " + dir : "key pair in " + dir + " kept");
            return 0;
        }
    }

    @Command(name = "issue", description = "Print a bearer token")
    static class Issue implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "key directory")
        Path dir;

        @Option(names = "--issuer", defaultValue = LocalIssuer.DEFAULT_ISSUER)
        String issuer;

        @Option(names = "--role", defaultValue = Roles.SUBMITTER,
                description = "viewer, submitter, admin or service (default: ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--subject", description = "who the token names (default: the user name)")
        String subject;

        @Option(names = "--ttl", defaultValue = "PT8H", description = "ISO-8601 duration (default: ${DEFAULT-VALUE})")
        Duration ttl;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(dir.resolve(LocalIssuer.PRIVATE_KEY_FILE))) {
                System.err.println("no key pair in " + dir + ": start the stack once (./xscore up)");
                return 2;
            }
            if (!Roles.isKnown(role)) {
                System.err.println("unknown role '" + role + "' (known: " + String.join(", ", Roles.ALL) + ")");
                return 2;
            }
            if (ttl.isNegative() || ttl.isZero()) {
                System.err.println("--ttl must be positive");
                return 2;
            }
            String who = subject != null && !subject.isBlank() ? subject : System.getProperty("user.name", "user");
            System.out.println(LocalIssuer.fromDirectory(dir, issuer).issue(who, List.of(role), ttl));
            return 0;
        }
    }
}
