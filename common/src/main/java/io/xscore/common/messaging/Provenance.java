package io.xscore.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What ran a job: engine versions and the trainer build. Recorded in every result; not part of the job's identity
 * (the same job on another engine version is the same experiment), but shown so differences can be traced.
 *
 * @param trainerBuild the trainer's version (and commit when known)
 * @param djl          Deep Java Library version
 * @param pytorch      PyTorch native library version
 * @param cuda         CUDA version when trained on a GPU, else absent
 * @param device       the device trained on, e.g. "cpu()" or "gpu(0)"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(String trainerBuild, String djl, String pytorch, String cuda, String device) {
}
