package io.xscore.trainer.service;

import ai.djl.engine.Engine;
import io.quarkus.runtime.Startup;
import io.xscore.trainer.config.TrainerConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Prepares DJL before its engine loads. DJL reads only system properties and environment variables (not
 * application.properties), so this bean sets, unless already given on the command line:
 * {@code ai.djl.offline=true} (PyTorch natives come from the pytorch-native jar; nothing is downloaded) and
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads} from {@code xscore.trainer.threads}.
 * Every bean that touches DJL injects this one, so it always runs first.
 */
@Startup
@ApplicationScoped
public class DjlEnvironment {

    private static final Logger LOG = Logger.getLogger(DjlEnvironment.class);

    private final TrainerConfig config;

    public DjlEnvironment(TrainerConfig config) {
        this.config = config;
    }

    private volatile String description;

    @PostConstruct
    public void configure() {
        configure(config.threads());
    }

    /** Idempotent; effective only before the first use of the engine. */
    public static synchronized void configure(int threads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Engine, version, device and threads, e.g. "DJL 0.32.0 PyTorch 2.5.1 cpu(), 2 threads". Loads the engine. */
    public String describe() {
        if (description == null) {
            Engine engine = Engine.getInstance();
            description = "DJL " + Engine.getDjlVersion() + " " + engine.getEngineName() + " " + engine.getVersion()
                    + " " + engine.defaultDevice() + ", " + System.getProperty("ai.djl.pytorch.num_threads")
                    + " threads";
            LOG.infof("training engine: %s", description);
        }
        return description;
    }
}
