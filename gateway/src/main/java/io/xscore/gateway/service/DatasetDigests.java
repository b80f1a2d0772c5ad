package io.xscore.gateway.service;

import io.xscore.gateway.client.DatasetServiceClient;
import io.xscore.support.messaging.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The content digests of datasets, as the dataset service reports them ({@code contentDigest} of
 * {@code GET /api/v1/datasets/{id}/status}), for job identities. A dataset without a digest yet is asked to be
 * prepared ({@code POST .../prepare}, idempotent) and reported as awaited, with what the planner waits for; nothing
 * is guessed. Missing data and a failed preparation are awaited without asking again (an operator registers or fixes
 * the data and prepares it). A dataset service that cannot be reached (or answers 5xx) makes every dataset not yet resolved awaited
 * with that reason: a transient condition, retried by {@link DatasetWaits}. Digests are not cached here: a dataset
 * prepared again from other data gets its new digest at the next planning.
 */
@ApplicationScoped
public class DatasetDigests {

    private static final Logger LOG = Logger.getLogger(DatasetDigests.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @param digests content digest by dataset, for the datasets that have one
     * @param waiting datasets without a digest yet, in the request's order
     * @param reason  what the planner waits for, one clause per awaited dataset; null when none is awaited
     */
    public record Resolution(Map<String, String> digests, List<String> waiting, String reason) {
        public boolean complete() {
            return waiting.isEmpty();
        }
    }

    private final DatasetServiceClient client;

    public DatasetDigests(@RestClient DatasetServiceClient client) {
        this.client = client;
    }

    public Resolution resolve(Collection<String> datasets) {
        Map<String, String> digests = new LinkedHashMap<>();
        List<String> waiting = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        String unreachable = null;
        for (String dataset : new LinkedHashSet<>(datasets)) {
            if (unreachable != null) {
                waiting.add(dataset);
                continue;
            }
            try {
                String awaited = digestOf(dataset, digests);
                if (awaited != null) {
                    waiting.add(dataset);
                    reasons.add(awaited);
                }
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e) && !(e instanceof WebApplicationException)) {
                    throw e;
                }
                // Down, restarting, or failing (5xx): ask again later, for this and every dataset after it.
                LOG.infof("dataset service unavailable while resolving the digest of %s: %s", dataset,
                        TransientFailures.describe(e));
                unreachable = "the dataset service cannot be reached; planning is retried until it answers";
                waiting.add(dataset);
            }
        }
        if (unreachable != null) {
            reasons.add(0, unreachable);
        }
        return new Resolution(digests, waiting, reasons.isEmpty() ? null : String.join("; ", reasons));
    }

    /** Puts the dataset's digest into {@code digests}, or returns what it waits for. */
    private String digestOf(String dataset, Map<String, String> digests) {
        DatasetServiceClient.DatasetStatus status;
        try {
            status = client.status(dataset);
        } catch (WebApplicationException e) {
            return answered(dataset, e);
        }
        if (known(status, dataset, digests)) {
            return null;
        }
        String state = status == null || status.status() == null ? "unknown" : status.status();
        if (state.equals("missing-data")) {
            return dataset + ": the dataset service has no data for it (" + detail(status)
                    + "); register or download it";
        }
        if (state.equals("failed")) {
            // Not prepared again from here every pass (a corrupt file fails the same way); an operator fixes the data
            // and prepares it (POST .../prepare), then the next pass finds the digest.
            return dataset + ": preparation failed at the dataset service (" + detail(status)
                    + "); fix the data and prepare it again";
        }
        if (!state.equals("preparing")) {
            // not-prepared, or prepared on disk but not loaded by this service process yet
            try {
                status = client.prepare(dataset);
            } catch (WebApplicationException e) {
                return answered(dataset, e);
            }
            if (known(status, dataset, digests)) {
                return null;
            }
        }
        return dataset + ": waiting for the dataset service to prepare it (" + detail(status) + ")";
    }

    private static boolean known(DatasetServiceClient.DatasetStatus status, String dataset,
            Map<String, String> digests) {
        if (status != null && status.contentDigest() != null && HEX64.matcher(status.contentDigest()).matches()) {
            digests.put(dataset, status.contentDigest());
            return true;
        }
        return false;
    }

    /** An answer with an error status: 5xx is the service failing (transient, rethrown); 4xx is awaited with why. */
    private static String answered(String dataset, WebApplicationException e) {
        int code = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (code >= 500 && code != 503) {
            throw e;
        }
        if (code == 503) {
            return dataset + ": the dataset service has no data for it yet (503); register or download it";
        }
        if (code == 404) {
            return dataset + ": the dataset service does not know this dataset";
        }
        return dataset + ": the dataset service answered " + code;
    }

    private static String detail(DatasetServiceClient.DatasetStatus status) {
        if (status == null) {
            return "no status";
        }
        String detail = status.detail() == null || status.detail().isBlank() ? "" : ": " + status.detail();
        return (status.status() == null ? "unknown" : status.status()) + detail;
    }
}
