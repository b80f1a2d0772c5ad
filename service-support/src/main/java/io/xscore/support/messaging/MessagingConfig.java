package io.xscore.support.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How {@link RecordProcessor} retries (prefix {@code xscore.messaging}). */
@ConfigMapping(prefix = "xscore.messaging")
public interface MessagingConfig {

    /** First wait after a failed attempt; doubled after each further failure up to {@link #maxBackoff()}. */
    @WithDefault("250ms")
    Duration initialBackoff();

    /** Longest wait between two attempts on one record. */
    @WithDefault("10s")
    Duration maxBackoff();

    /**
     * Attempts at a record that fails with an error that is not transient (a bug, a record the code cannot handle)
     * before it is dead-lettered. Transient failures (a dependency down) are retried for as long as they last.
     */
    @WithDefault("5")
    int maxFailedAttempts();
}
