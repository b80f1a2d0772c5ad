package io.xscore.trainer.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Another trainer process, as far as job claims go: a separate JVM that claims one job in a checkpoint directory and
 * holds the claim until it is killed. File locks are per process, so only a second process shows what a second
 * trainer sees.
 */
public final class ClaimHoldingProcess {

    private ClaimHoldingProcess() {
    }

    /** Arguments: checkpoint dir, job id, trainer name, topic, partition, offset. */
    public static void main(String[] args) throws Exception {
        JobClaims claims = new JobClaims(Path.of(args[0]));
        JobClaims.Attempt attempt = claims.tryClaim(args[1], new JobClaims.Holder(args[2], args[3],
                Integer.parseInt(args[4]), Long.parseLong(args[5]), Instant.now()));
        System.out.println(attempt instanceof JobClaims.Attempt.Claimed ? "claimed" : "not claimed: " + attempt);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts the process and waits until it holds the claim. */
    public static Process start(Path checkpointDir, String jobId, String trainer, String topic, int partition,
            long offset) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ClaimHoldingProcess.class.getName(), checkpointDir.toAbsolutePath().toString(), jobId, trainer, topic,
                Integer.toString(partition), Long.toString(offset)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"claimed".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("the claim-holding process did not claim job " + jobId + ": " + line);
        }
        return p;
    }
}
