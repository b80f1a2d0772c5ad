package io.xscore.gateway.service;

import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.xscore.gateway.evaluation.JobState;
import io.xscore.gateway.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The trainer pool as the gateway sees it, counted in the jobs collection every
 * {@code xscore.gateway.pool-metrics-interval}: {@code xscore_jobs_queued} (published and waiting for a trainer,
 * including jobs a trainer released) and {@code xscore_jobs_in_progress} (a trainer reported their start). Every
 * gateway replica reports the same totals: aggregate with {@code max}, not {@code sum}. A scrape never touches the
 * database; while it is down the gauges keep their last value.
 */
@ApplicationScoped
public class PoolMetrics {

    private static final Logger LOG = Logger.getLogger(PoolMetrics.class);

    private final JobRepository jobs;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong inProgress = new AtomicLong();

    public PoolMetrics(JobRepository jobs, MeterRegistry registry) {
        this.jobs = jobs;
        Gauge.builder("xscore.jobs.queued", queued, AtomicLong::get)
                .description("jobs published and not started (or released back to the queue)").register(registry);
        Gauge.builder("xscore.jobs.in.progress", inProgress, AtomicLong::get)
                .description("jobs a trainer is working on").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        // the bean is created on first use: make sure the gauges exist from the start
    }

    @Scheduled(every = "${xscore.gateway.pool-metrics-interval:15s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        try {
            queued.set(jobs.mongoCollection().countDocuments(Filters.eq("state", JobState.QUEUED.name())));
            inProgress.set(jobs.mongoCollection().countDocuments(Filters.eq("state", JobState.RUNNING.name())));
        } catch (RuntimeException e) {
            LOG.debugf("pool metrics not refreshed: %s", e.getMessage());
        }
    }
}
