package io.xscore.common.messaging;

/**
 * The digests a job id is derived from, carried on the job so a trainer can check it trains what was planned and a
 * reader can see why two jobs differ. Each is a 64-digit lower-case SHA-256 hex string.
 *
 * @param protocol     the fully resolved protocol (every hyper-parameter after overrides), canonical JSON
 * @param model        the model definition: block structure and parameter shapes
 * @param dataset      the dataset's content
 * @param augmentation the training augmentation pipeline's definition for this dataset and protocol
 */
public record JobIdentity(String protocol, String model, String dataset, String augmentation) {
}
