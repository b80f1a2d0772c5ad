package io.xscore.common.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import io.xscore.common.messaging.JobIdentity;
import io.xscore.common.messaging.RobustnessSpec;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Job identity: a job id is the first 128 bits (32 hex digits) of the SHA-256 of the job's canonical spec, which names
 * the model, the dataset and the seed and carries the digests of everything else that determines the result
 * ({@link JobIdentity}):
 *
 * <ul>
 *   <li>{@code protocol}: SHA-256 of the fully resolved protocol (every hyper-parameter after overrides) as canonical
 *       JSON ({@link #canonicalProtocol}: keys sorted at every level, no whitespace, absent values left out). The
 *       {@code overrides} map itself is left out: what it changed is in the resolved values, so an override that
 *       restates the definition's value names the same job;</li>
 *   <li>{@code model}: the model definition's digest (block structure and parameter shapes,
 *       {@code io.xscore.common.catalog.ModelDefinitions});</li>
 *   <li>{@code dataset}: the dataset's content digest ({@link io.xscore.common.shard.DatasetDigest}: SHA-256 over the
 *       prepared splits' shard checksums, as the dataset service reports it);</li>
 *   <li>{@code augmentation}: SHA-256 of the canonical definition of the training augmentation pipeline the protocol
 *       resolves to for that dataset ({@code io.xscore.augment.AugmentationDefinitions});</li>
 *   <li>{@code robustness}, only for a job that runs robustness suites: SHA-256 of the resolved suites
 *       ({@link #robustnessDigest}), a line of its own after the others.</li>
 * </ul>
 *
 * Editing a protocol file, a model definition, the dataset's data or an augmentation pipeline therefore gives new job
 * ids, and a re-submitted evaluation reuses finished results only when all of them are unchanged. The same inputs
 * give the same id on every JVM (the canonical text is plain ASCII built from fixed rules). Ids computed by
 * versions before identity digests (protocol name, version, model, dataset, seed, overrides) are never produced again.
 * Framework-free: callers compute the model, dataset and augmentation digests and pass them in.
 */
public final class JobIds {

    /** First line of the canonical spec: a new rule for ids gets a new tag, never an id of the old rule. */
    public static final String SPEC_VERSION = "xscore-job-v2";

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private JobIds() {
    }

    /**
     * The resolved protocol as canonical JSON: object keys sorted at every level (including {@code lrMaxByModel}),
     * no whitespace, null values absent, numbers as Jackson writes them (integers as integers, doubles by
     * {@link Double#toString}); the {@code overrides} map is left out (its effect is in the resolved values).
     */
    public static String canonicalProtocol(ProtocolSpec protocol) {
        ObjectNode tree = Json.MAPPER.valueToTree(protocol);
        tree.remove("overrides");
        try {
            return Json.MAPPER.writeValueAsString(sorted(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("protocol " + protocol.name() + " cannot be written as JSON", e);
        }
    }

    /** SHA-256 (64 hex digits) of {@link #canonicalProtocol}. */
    public static String protocolDigest(ProtocolSpec protocol) {
        return Sha256.hex(canonicalProtocol(protocol));
    }

    /**
     * The identity of a job of {@code protocol}: its protocol digest and the given model, dataset and augmentation
     * digests, each checked to be 64 lower-case hex digits.
     */
    public static JobIdentity identity(ProtocolSpec protocol, String modelDigest, String datasetDigest,
            String augmentationDigest) {
        return new JobIdentity(protocolDigest(protocol), hex64("model", modelDigest),
                hex64("dataset", datasetDigest), hex64("augmentation", augmentationDigest));
    }

    /** The canonical text that is hashed: one {@code key=value} per line in this fixed order. */
    public static String canonicalSpec(String model, String dataset, long seed, JobIdentity identity) {
        return SPEC_VERSION
                + "\nmodel=" + model
                + "\ndataset=" + dataset
                + "\nseed=" + seed
                + "\nprotocol=" + hex64("protocol", identity.protocol())
                + "\nmodelDefinition=" + hex64("model", identity.model())
                + "\ndatasetContent=" + hex64("dataset", identity.dataset())
                + "\naugmentation=" + hex64("augmentation", identity.augmentation())
                + "\n"
                + (identity.robustness() == null ? "" : "robustness=" + hex64("robustness", identity.robustness())
                        + "\n");
    }

    /**
     * SHA-256 of the resolved robustness suites as canonical JSON (keys sorted, nulls left out), or null for none: a
     * job that runs suites measures more than one that does not, so its id differs; a job without suites keeps the id
     * it had before suites existed.
     */
    public static String robustnessDigest(RobustnessSpec resolved) {
        if (resolved == null) {
            return null;
        }
        try {
            return Sha256.hex(Json.MAPPER.writeValueAsString(sorted(Json.MAPPER.valueToTree(resolved))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("robustness suites cannot be written as JSON", e);
        }
    }

    /** {@code identity} with the digest of {@code resolved} robustness suites (unchanged when there are none). */
    public static JobIdentity withRobustness(JobIdentity identity, RobustnessSpec resolved) {
        return resolved == null ? identity : new JobIdentity(identity.protocol(), identity.model(),
                identity.dataset(), identity.augmentation(), robustnessDigest(resolved));
    }

    /** The job id: the first 32 hex digits of the SHA-256 of {@link #canonicalSpec}. */
    public static String jobId(String model, String dataset, long seed, JobIdentity identity) {
        return Sha256.hex(canonicalSpec(model, dataset, seed, identity)).substring(0, 32);
    }

    private static String hex64(String what, String digest) {
        if (digest == null || !HEX64.matcher(digest).matches()) {
            throw new IllegalArgumentException(what + " digest must be 64 lower-case hex digits, got " + digest);
        }
        return digest;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    fields.put(e.getKey(), sorted(e.getValue()));
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }
}
