package io.xscore.scoring.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.testsupport.HostileChecks;
import io.xscore.testsupport.HostileRequests;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-request corpus (test-support's {@code hostile/}) against every endpoint of the scoring service:
 * no 5xx, every 4xx a problem+json, no Java names, server paths or internal addresses in any answer. Nothing here is
 * stored (the service stores only what it consumes from Kafka), so there is nothing to count afterwards.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class ScoringHostileInputTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void hostileRequestsAreRefusedWithoutLeakingInternals() {
        List<HostileRequests.HostileRequest> requests = HostileRequests.forService("scoring-service");
        List<String> failures = HostileChecks.replay(base.getHost(), base.getPort(), requests,
                List.of(Path.of("").toAbsolutePath().toString()), 2);
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " hostile requests got a bad "
                + "answer:\n" + String.join("\n", failures));
    }
}
