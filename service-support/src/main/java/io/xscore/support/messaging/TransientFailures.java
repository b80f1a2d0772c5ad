package io.xscore.support.messaging;

import java.util.Set;

/**
 * Tells a failure that will pass (a dependency is down, slow or failing over) from one that will not (a bug, a record
 * the code cannot handle). Transient failures are retried for as long as they last; only other failures may end in a
 * dead-letter record. Classes are matched by name along each cause's class hierarchy, so this module needs neither the
 * MongoDB driver nor any client library on its class path.
 */
public final class TransientFailures {

    /** Whole families: the class or any subclass is transient. */
    private static final Set<String> TRANSIENT_TYPES = Set.of(
            DependencyUnavailableException.class.getName(),
            // MongoDB: unreachable, no server selectable, an operation that timed out, a failover in progress
            "com.mongodb.MongoSocketException",
            "com.mongodb.MongoTimeoutException",
            "com.mongodb.MongoExecutionTimeoutException",
            "com.mongodb.MongoNotPrimaryException",
            "com.mongodb.MongoNodeIsRecoveringException",
            "com.mongodb.MongoConnectionPoolClearedException",
            "com.mongodb.MongoInterruptedException",
            // Kafka client errors the client itself calls retriable (broker down, leader moving, request timed out)
            "org.apache.kafka.common.errors.RetriableException",
            "org.apache.kafka.common.errors.DisconnectException",
            // Network and time-outs: HTTP calls to other services, waits on acknowledgements
            "java.io.IOException",
            "java.util.concurrent.TimeoutException",
            "jakarta.ws.rs.ProcessingException",
            "io.smallrye.faulttolerance.api.CircuitBreakerOpenException",
            "org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException",
            "org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return false;
            }
            for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                if (TRANSIENT_TYPES.contains(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A short description of a failure for logs and health data: the type names along the cause chain, without
     * messages (which carry addresses and credentials of the dependency).
     */
    public static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 4; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (!out.isEmpty()) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName());
        }
        return out.toString();
    }
}
