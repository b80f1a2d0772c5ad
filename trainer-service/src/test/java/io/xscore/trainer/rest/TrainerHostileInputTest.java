package io.xscore.trainer.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.testsupport.HostileChecks;
import io.xscore.testsupport.HostileRequests;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.trainer.messaging.DatasetFixtureServer;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-request corpus (test-support's {@code hostile/}) against every endpoint of the trainer: no 5xx,
 * every 4xx a problem+json, no Java names, server paths or internal addresses in any answer. The trainer's HTTP API
 * only reads (status, model facts), so nothing can be stored.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(DatasetFixtureServer.class)
class TrainerHostileInputTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsAreRefusedWithoutLeakingInternals() {
        List<HostileRequests.HostileRequest> requests = HostileRequests.forService("trainer-service");
        List<String> failures = HostileChecks.replay(base.getHost(), base.getPort(), requests,
                List.of(Path.of("").toAbsolutePath().toString()), 2);
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " hostile requests got a bad "
                + "answer:\n" + String.join("\n", failures));
    }
}
