package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The digests a job id is derived from, carried on the job so a trainer can check it trains what was planned and a
 * reader can see why two jobs differ. Each is a 64-digit lower-case SHA-256 hex string.
 *
 * @param protocol     the fully resolved protocol (every hyper-parameter after overrides), canonical JSON
 * @param model        the model definition: block structure and parameter shapes
 * @param dataset      the dataset's content
 * @param augmentation the training augmentation pipeline's definition for this dataset and protocol
 * @param robustness   the resolved robustness suites, canonical JSON; absent for a job that runs none (so the ids of
 *                     such jobs are those of the rule before suites existed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobIdentity(String protocol, String model, String dataset, String augmentation, String robustness) {

    /** The identity of a job without robustness suites. */
    public JobIdentity(String protocol, String model, String dataset, String augmentation) {
        this(protocol, model, dataset, augmentation, null);
    }
}
