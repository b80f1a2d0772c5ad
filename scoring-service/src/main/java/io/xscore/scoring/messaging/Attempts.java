package io.xscore.scoring.messaging;

import io.xscore.common.json.InvalidMessageException;
import org.jboss.logging.Logger;

/** Retries the handling of a valid record a few times (transient store/broker errors); invalid records fail fast. */
final class Attempts {

    private static final Logger LOG = Logger.getLogger(Attempts.class);

    private Attempts() {
    }

    static void run(int attempts, String what, Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (InvalidMessageException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.warnf("handling %s failed (attempt %d of %d), retrying: %s", what, attempt, attempts, e.toString());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
