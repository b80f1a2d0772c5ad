package io.xscore.support.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @AfterEach
    void clean() {
        MDC.remove(LogContext.EVALUATION_ID);
        MDC.remove(LogContext.JOB_ID);
    }

    @Test
    void theIdsAreSetWhileTheWorkRunsAndRemovedAfter() {
        try (LogContext log = LogContext.of("e1", "j1")) {
            assertEquals("e1", MDC.get("evaluationId"));
            assertEquals("j1", MDC.get("jobId"));
        }
        assertNull(MDC.get("evaluationId"));
        assertNull(MDC.get("jobId"));
    }

    @Test
    void nestingRestoresTheOuterValues() {
        try (LogContext evaluation = LogContext.evaluation("e1")) {
            try (LogContext job = LogContext.job("j1").evaluationId("e2")) {
                assertEquals("e2", MDC.get("evaluationId"));
                assertEquals("j1", MDC.get("jobId"));
            }
            assertEquals("e1", MDC.get("evaluationId"), "the outer evaluation again");
            assertNull(MDC.get("jobId"), "the job was not set outside");
        }
        assertNull(MDC.get("evaluationId"));
    }

    @Test
    void aNullIdLeavesTheKeyAsItIs() {
        try (LogContext evaluation = LogContext.evaluation("e1")) {
            try (LogContext none = LogContext.of(null, null)) {
                assertEquals("e1", MDC.get("evaluationId"));
                assertNull(MDC.get("jobId"));
            }
            assertEquals("e1", MDC.get("evaluationId"), "a context that set nothing restores nothing");
        }
    }

    @Test
    void closingTwiceDoesNotUndoAnotherContext() {
        LogContext first = LogContext.evaluation("e1");
        first.close();
        try (LogContext second = LogContext.evaluation("e2")) {
            first.close();
            assertEquals("e2", MDC.get("evaluationId"));
        }
    }

    @Test
    void theIdsStayOnTheirThread() throws Exception {
        try (LogContext log = LogContext.evaluation("e1")) {
            assertNull(CompletableFuture.supplyAsync(() -> MDC.get("evaluationId")).get());
        }
    }
}
