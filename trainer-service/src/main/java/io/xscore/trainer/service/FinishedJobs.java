package io.xscore.trainer.service;

import io.xscore.common.json.InvalidMessageException;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.TrainingJob;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.support.messaging.TransientFailures;
import io.xscore.trainer.client.ScoringResultsClient;
import io.xscore.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Whether a job is finished already, checked before it trains: a finished job never trains again, its result is the
 * marker. First this trainer's {@link ResultLedger} (a job it finished whose record came back: the result is
 * published again as it was), then the scoring service, which stores every result (a job another trainer finished).
 */
@ApplicationScoped
public class FinishedJobs {

    private static final Logger LOG = Logger.getLogger(FinishedJobs.class);

    /** What to do with a job that arrives. */
    public sealed interface Verdict {
        /** Not finished: train it. */
        record Train() implements Verdict {
        }

        /** This trainer finished it: publish this result again, do not train. */
        record Republish(TrainingResult result) implements Verdict {
        }

        /** Another trainer finished it and its result is stored: nothing to do. */
        record AlreadyStored(TrainingResult result) implements Verdict {
        }
    }

    private final ResultLedger ledger;
    private final ScoringResultsClient scoring;
    private final TrainerConfig config;

    public FinishedJobs(TrainerConfig config, @RestClient ScoringResultsClient scoring) {
        this.config = config;
        this.scoring = scoring;
        this.ledger = new ResultLedger(Path.of(config.checkpointDir()));
        int pruned = ledger.prune(config.results().ledgerRetention());
        if (pruned > 0) {
            LOG.infof("result ledger: %d entries older than %s pruned", pruned, config.results().ledgerRetention());
        }
    }

    public ResultLedger ledger() {
        return ledger;
    }

    public Verdict check(TrainingJob job) throws InterruptedException {
        Optional<TrainingResult> mine = ledger.find(job.jobId());
        if (mine.isPresent()) {
            return new Verdict.Republish(mine.get());
        }
        if (!config.results().checkScoring()) {
            return new Verdict.Train();
        }
        Instant deadline = Instant.now().plus(config.results().checkTimeout());
        long backoff = 500;
        boolean warned = false;
        while (true) {
            try {
                TrainingResult stored = MessageCodec.decode(scoring.result(job.jobId()), TrainingResult.class);
                return stored.status() == TrainingResult.Status.SUCCEEDED && stored.jobId().equals(job.jobId())
                        ? new Verdict.AlreadyStored(stored) : new Verdict.Train();
            } catch (WebApplicationException e) {
                int status = e.getResponse() == null ? -1 : e.getResponse().getStatus();
                if (status != 404) {
                    // The service is up but cannot tell (its database is down): waiting would stall the pool for
                    // the length of someone else's outage. Train; a duplicate result is refused downstream.
                    LOG.warnf("job %s: the scoring service answered %d to the result check; training", job.jobId(),
                            status);
                }
                return new Verdict.Train();
            } catch (InvalidMessageException e) {
                LOG.warnf("job %s: the scoring service returned an unreadable result (%s); training", job.jobId(),
                        e.getMessage());
                return new Verdict.Train();
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    throw e;
                }
                if (!warned) {
                    LOG.warnf("job %s: the scoring service cannot be reached for the result check (%s); waiting up "
                            + "to %s", job.jobId(), TransientFailures.describe(e), config.results().checkTimeout());
                    warned = true;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                LOG.warnf("job %s: the scoring service did not answer the result check within %s; training (a "
                        + "duplicate result would be refused downstream)", job.jobId(), config.results().checkTimeout());
                return new Verdict.Train();
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 10_000);
        }
    }
}
