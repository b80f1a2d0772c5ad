package io.xscore.scoring.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.xscore.common.hash.Sha256;
import io.xscore.common.json.Json;
import io.xscore.scoring.xscore.AccuracyTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Versioned reference data shipped with the service: {@code reference/<protocol>/metadata.json} (source, protocol,
 * version, dataset order, SHA-256 of the table) and the accuracy table it names (CSV: header
 * {@code model,<dataset>...}, one row per model, accuracies in %). Loading verifies the checksum, the header against
 * the metadata and every cell (finite, within [0, 100]), so a corrupted table never reaches the scale.
 */
public record ReferenceData(String protocol, int version, String source, String sha256, AccuracyTable table) {

    public static final String PAPER_PROTOCOL = "paper-v1";


    public static ReferenceData paper() {
        return load(PAPER_PROTOCOL);
    }

    static ReferenceData load(String protocol) {
        String base = "/reference/" + protocol + "/";
        try {
            JsonNode meta = Json.MAPPER.readTree(read(base + "metadata.json"));
            byte[] csv = read(base + meta.path("file").asText());
            String sha = Sha256.hex(csv);
            if (!sha.equals(meta.path("sha256").asText())) {
                throw new IllegalStateException("reference table of " + protocol + " does not match its checksum");
            }
            if (!protocol.equals(meta.path("protocol").asText())) {
                throw new IllegalStateException("reference metadata in " + base + " names protocol "
                        + meta.path("protocol").asText());
            }
            List<String> expected = new ArrayList<>();
            meta.path("datasets").forEach(n -> expected.add(n.asText()));
            AccuracyTable table = parseCsv(new String(csv, StandardCharsets.UTF_8), expected);
            return new ReferenceData(protocol, meta.path("version").asInt(), meta.path("source").asText(), sha, table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference data " + base, e);
        }
    }

    static AccuracyTable parseCsv(String csv, List<String> expectedDatasets) {
        List<String> lines = csv.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String[] header = lines.get(0).split(",");
        List<String> datasets = List.of(Arrays.copyOfRange(header, 1, header.length));
        if (!"model".equals(header[0]) || !datasets.equals(expectedDatasets)) {
            throw new IllegalStateException("reference table header " + lines.get(0) + " does not match datasets "
                    + expectedDatasets);
        }
        AccuracyTable.Builder b = AccuracyTable.builder(datasets);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (cells.length != header.length) {
                throw new IllegalStateException("reference row has " + cells.length + " cells: " + line);
            }
            double[] values = new double[datasets.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = Double.parseDouble(cells[j + 1]);
                if (!(values[j] >= 0 && values[j] <= 100)) {
                    throw new IllegalStateException("reference accuracy " + cells[0] + "/" + datasets.get(j)
                            + " = " + cells[j + 1] + " is not within [0, 100]");
                }
            }
            b.row(cells[0], values);
        }
        return b.build();
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = ReferenceData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
