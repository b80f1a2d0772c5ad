package io.xscore.trainer.service;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import io.xscore.common.messaging.Provenance;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * What produced this trainer's results: trainer build, DJL, PyTorch, CUDA (on a GPU) and device. Computed once, on
 * first use rather than at start-up, because describing the engine loads it.
 */
@ApplicationScoped
public class TrainerProvenance {

    private static final Logger LOG = Logger.getLogger(TrainerProvenance.class);

    private final DjlEnvironment djl;
    private volatile Provenance provenance;

    public TrainerProvenance(DjlEnvironment djl) {
        this.djl = djl;
    }

    /** Trainer build, DJL, PyTorch, CUDA (on a GPU) and device; computed once (loads the engine). */
    public Provenance current() {
        Provenance p = provenance;
        if (p == null) {
            String build = "trainer-service " + ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
            try {
                djl.describe(); // configures and loads the engine as training does
                Engine engine = Engine.getInstance();
                Device device = engine.defaultDevice();
                String cuda = device.isGpu() && CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : null;
                p = new Provenance(build, Engine.getDjlVersion(), engine.getVersion(), cuda, device.toString());
            } catch (RuntimeException | LinkageError e) {
                LOG.warnf("engine versions unavailable: %s", e.toString());
                p = new Provenance(build, Engine.getDjlVersion(), null, null, null);
            }
            provenance = p;
        }
        return p;
    }
}
