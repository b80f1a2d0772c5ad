package io.xscore.common.protocol;

import io.xscore.common.hash.Sha256;
import java.util.Map;
import java.util.TreeMap;

/**
 * Job identity: the first 128 bits (32 hex digits) of the SHA-256 of the job's canonical spec. The same
 * (protocol, protocol version, model, dataset, seed, overrides) always gives the same id, so a re-submitted evaluation
 * finds its finished results and a redelivered job cannot produce a second result.
 */
public final class JobIds {

    private JobIds() {
    }

    /** The canonical text that is hashed: fixed key order, overrides sorted by key. */
    public static String canonicalSpec(ProtocolSpec protocol, String model, String dataset, long seed) {
        Map<String, Integer> overrides = protocol.overrides() == null ? Map.of() : new TreeMap<>(protocol.overrides());
        StringBuilder sb = new StringBuilder()
                .append("protocol=").append(protocol.name())
                .append(";version=").append(protocol.version())
                .append(";model=").append(model)
                .append(";dataset=").append(dataset)
                .append(";seed=").append(seed)
                .append(";overrides={");
        overrides.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        return sb.append('}').toString();
    }

    public static String jobId(ProtocolSpec protocol, String model, String dataset, long seed) {
        return Sha256.hex(canonicalSpec(protocol, model, dataset, seed)).substring(0, 32);
    }
}
