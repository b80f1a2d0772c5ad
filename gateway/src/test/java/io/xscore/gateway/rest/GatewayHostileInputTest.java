package io.xscore.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.xscore.common.auth.Roles;
import io.xscore.common.messaging.Topics;
import io.xscore.gateway.repository.EvaluationRepository;
import io.xscore.testsupport.HostileChecks;
import io.xscore.testsupport.HostileRequests;
import io.xscore.testsupport.KafkaBrokerTestResource;
import io.xscore.testsupport.MongoServerTestResource;
import io.xscore.testsupport.TestTokens;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-request corpus (test-support's {@code hostile/}) against every endpoint of the gateway, its
 * proxy of the scoring service included (here the echoing stand-in of {@link ScoringProxyTest}): no 5xx, every 4xx a
 * problem+json, no Java names, server paths or internal addresses in any answer; and nothing stored or published for
 * any of them: the number of evaluations and the ends of the request and cancellation topics do not move.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerTestResource.class, restrictToAnnotatedClass = false)
class GatewayHostileInputTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EvaluationRepository evaluations;

    @Test
    void hostileRequestsAreRefusedWithoutLeakingInternalsAndStoreNothing() {
        long evaluationsBefore = evaluations.count();
        long requestsBefore = EvaluationFlowTest.endOffset(Topics.EVALUATION_REQUESTS);
        long cancellationsBefore = EvaluationFlowTest.endOffset(Topics.EVALUATION_CANCELLATIONS);

        // as a submitter: the requests must reach the validation behind the token check (AuthTest covers the check)
        List<HostileRequests.HostileRequest> requests = HostileRequests.withAuthorization(
                HostileRequests.forService("gateway"), TestTokens.bearer("hostile-tester", Roles.SUBMITTER));
        List<String> failures = HostileChecks.replay(base.getHost(), base.getPort(), requests,
                List.of(Path.of("").toAbsolutePath().toString()), 2);
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " hostile requests got a bad "
                + "answer:\n" + String.join("\n", failures));

        assertEquals(evaluationsBefore, evaluations.count(), "an evaluation was stored for a hostile request");
        assertEquals(requestsBefore, EvaluationFlowTest.endOffset(Topics.EVALUATION_REQUESTS), "a hostile request was published");
        assertEquals(cancellationsBefore, EvaluationFlowTest.endOffset(Topics.EVALUATION_CANCELLATIONS),
                "a cancellation was published for a hostile request");
    }
}
