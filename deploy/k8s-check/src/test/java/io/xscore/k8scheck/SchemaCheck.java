package io.xscore.k8scheck;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object checked against its real schema: Kubernetes' own kinds, KEDA's and the Prometheus Operator's by
 * deploy/k8s/check/validate.mjs (kubernetes-models), Strimzi's by {@link StrimziSchemas}. A kind neither knows is a
 * problem too: nothing passes unchecked.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /** One line per problem, "apiVersion kind name: problem". */
    static List<String> problems(List<JsonNode> objects) {
        Manifests.ensureInstalled();
        StringBuilder yaml = new StringBuilder();
        for (JsonNode o : objects) {
            yaml.append("---\n").append(Manifests.yaml(o));
        }
        Manifests.Result r = Manifests.run(Manifests.CHECK, yaml.toString(), 120, "node", "validate.mjs");
        if (r.exit() != 0) {
            throw new IllegalStateException("node validate.mjs failed (" + r.exit() + "):\n" + r.err());
        }
        List<String> problems = new ArrayList<>();
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() != objects.size()) {
            throw new IllegalStateException("validate.mjs answered for " + lines.size() + " of " + objects.size()
                    + " objects:\n" + r.out() + r.err());
        }
        for (int i = 0; i < lines.size(); i++) {
            JsonNode result;
            try {
                result = Manifests.JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode object = objects.get(i);
            String id = Manifests.id(object);
            switch (result.path("status").asText()) {
                case "ok" -> {
                }
                case "invalid" -> result.path("errors").forEach(e -> problems.add(id + ": " + e.asText()));
                case "no-schema" -> {
                    String apiVersion = object.path("apiVersion").asText();
                    if (apiVersion.startsWith(StrimziSchemas.GROUP + "/")) {
                        StrimziSchemas.validate(object).forEach(p -> problems.add(id + ": " + p));
                    } else {
                        problems.add(id + ": no schema available for this kind (add its model to deploy/k8s/check "
                                + "or deploy/k8s-check)");
                    }
                }
                default -> throw new IllegalStateException("unexpected answer from validate.mjs: " + lines.get(i));
            }
        }
        return problems;
    }
}
