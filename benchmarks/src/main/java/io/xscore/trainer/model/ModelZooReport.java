package io.xscore.trainer.model;

import io.xscore.common.catalog.ModelCatalog;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the model zoo as Markdown from the registry's records: parameters and MACs per model, and the paper's
 * Table 6 view (architecture elements × models). Run like {@link ModelThroughputBenchmark}; argument: the resolution
 * (224 by default).
 */
public final class ModelZooReport {

    private ModelZooReport() {
    }

    public static void main(String[] args) {
        int resolution = args.length > 0 ? Integer.parseInt(args[0]) : 224;
        List<String> ids = ModelCatalog.fixed().stream().map(ModelCatalog.ModelInfo::id).toList();
        System.out.println("| model | family | parameters (10 classes) | MMACs @" + resolution + " |");
        System.out.println("|---|---|---:|---:|");
        for (String id : ids) {
            ModelRegistry.ModelInfo info = ModelRegistry.info(id, 10, resolution);
            System.out.printf(Locale.ROOT, "| %s | %s | %,d | %,.1f |%n", id, info.family(), info.parameters(),
                    info.macs() / 1e6);
        }
        System.out.println();
        Map<String, Map<String, String>> table = ModelRegistry.elementsTable(ids, resolution);
        System.out.println("| element | " + String.join(" | ", ids) + " |");
        System.out.println("|---|" + "---|".repeat(ids.size()));
        for (Map.Entry<String, Map<String, String>> row : table.entrySet()) {
            StringBuilder line = new StringBuilder("| " + row.getKey() + " |");
            for (String id : ids) {
                line.append(' ').append(row.getValue().get(id)).append(" |");
            }
            System.out.println(line);
        }
    }
}
