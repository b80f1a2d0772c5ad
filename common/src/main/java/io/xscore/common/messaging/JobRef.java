package io.xscore.common.messaging;

/**
 * Which job a record is about: the evaluation it belongs to, the job id and the four facts the id is read by (model,
 * dataset, seed, protocol name). Every job, progress and result record starts with these six fields; on the wire they
 * stay flat (the v1 schemas), in code they travel together: {@code job.ref()} instead of six arguments, and the
 * factories {@link TrainingProgress#of} and {@link TrainingResult#failed} take one.
 */
public record JobRef(String evaluationId, String jobId, String model, String dataset, long seed, String protocol) {

    /** "model/dataset/seed": how logs and evaluation views name a job besides its id. */
    public String label() {
        return model + "/" + dataset + "/" + seed;
    }
}
