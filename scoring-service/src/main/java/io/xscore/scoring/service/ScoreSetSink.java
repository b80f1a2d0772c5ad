package io.xscore.scoring.service;

import io.xscore.common.messaging.ScoreSet;

/**
 * Where {@link ScoringService} sends a computed score set. Implemented by {@code messaging.ScoreSetPublisher}
 * ({@code xscore.scores}, keyed by evaluation id); declared here so that the service layer does not depend on the
 * messaging package, which depends on it.
 */
public interface ScoreSetSink {

    /** Sends and waits for the broker's acknowledgement (call from a worker thread). */
    void publish(ScoreSet set);
}
