package io.xscore.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-dataset pipelines as data: protocols/augmentations/paper.json, read strictly. */
class PipelineTableTest {

    private static final String VALID = """
            {"name": "t",
             "transforms": {
               "crop": {"op": "RandomResizedCrop", "scaleMin": 0.5, "scaleMax": 1.0, "ratioMin": 0.75, "ratioMax": 1.33},
               "ra": {"op": "RandAugment", "numOps": 1, "magnitude": 5, "bins": 31},
               "erase": {"op": "RandomErasing", "p": 0.5, "scaleMin": 0.02, "scaleMax": 0.33, "ratioMin": 0.3,
                         "ratioMax": 3.3}},
             "pipelines": {"a": {"crop": "crop", "imageOps": ["ra"], "erasing": "erase"},
                           "b": {"crop": null, "imageOps": []}},
             "otherDatasets": {"name": "rest", "crop": "crop", "imageOps": []}}
            """;

    @Test
    void everyCatalogDatasetHasAPaperPipelineAndThePaperSevenHaveTheirOwn() {
        PipelineTable paper = PipelineTable.load("paper");
        assertEquals("paper", paper.name());
        for (String dataset : DatasetCatalog.ids()) {
            PaperPipeline p = PaperPipeline.forDataset(dataset);
            assertTrue(p.name().startsWith("paper/"), p.name());
            assertEquals(AugmentationDefinitions.digest(p), AugmentationDefinitions.digest("paper", dataset));
        }
        assertEquals(Set.of("cifar10", "cifar100", "imagenette", "stanford_dogs", "ham10000",
                "mit_indoor67", "miniplaces"), paper.datasets());
    }

    @Test
    void aTableIsReadWithEveryParameterAndTheFallback() throws Exception {
        PipelineTable t = PipelineTable.parse(Json.MAPPER.readTree(VALID), "test");
        PaperPipeline a = t.forDataset("a");
        assertEquals("t/a", a.name());
        assertEquals(new RandomResizedCrop(0.5, 1.0, 0.75, 1.33), a.crop());
        assertEquals(List.of(new RandAugment(1, 5, 31)), a.ops());
        assertEquals(0.5, a.erasing().p());
        assertNull(t.forDataset("b").crop());
        assertEquals("t/rest", t.forDataset("anything-else").name());
        assertEquals("t/a: RandomResizedCrop(0.5-1, ratio 0.75-1.33) + flip + RandAugment(1, 5) + RandomErasing(0.5)",
                a.description());
    }

    @Test
    void mistakesFailAtLoadWithWhereTheyAre() {
        assertRefused(VALID.replace("\"magnitude\": 5", "\"magnitde\": 5"), "pipelines.a.imageOps");
        assertRefused(VALID.replace("\"bins\": 31", "\"bins\": null"), "pipelines.a.imageOps");
        assertRefused(VALID.replace("[\"ra\"]", "[\"rb\"]"), "no transform 'rb'");
        assertRefused(VALID.replace("\"crop\": \"crop\", \"imageOps\": [\"ra\"]",
                "\"crop\": \"ra\", \"imageOps\": [\"ra\"]"), "'ra' is a RandAugment, not a RandomResizedCrop");
        assertRefused(VALID.replace("[\"ra\"]", "[\"crop\"]"), "is not an image op");
        assertRefused(VALID.replace("\"imageOps\": []}}", "\"imageOps\": [], \"erasng\": \"erase\"}}"),
                "pipelines.b: unknown field 'erasng'");
        assertRefused(VALID.replace("\"name\": \"rest\", ", ""), "otherDatasets: \"name\" is required");
    }

    private static void assertRefused(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineTable.parse(Json.MAPPER.readTree(json), "test"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
