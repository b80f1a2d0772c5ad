package io.xscore.dataset.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DownloadSourcesTest {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    @Test
    void builtInChecksumsAreWellFormed() throws Exception {
        DownloadSources sources = DownloadSources.load(Optional.empty());
        for (var dataset : sources.all().entrySet()) {
            for (var file : dataset.getValue().files()) {
                String where = dataset.getKey() + " " + file.url();
                if (file.sha256() != null) {
                    assertTrue(SHA256.matcher(file.sha256()).matches(), where + ": sha256 " + file.sha256());
                }
                if (file.md5() != null) {
                    assertTrue(MD5.matcher(file.md5()).matches(), where + ": md5 " + file.md5());
                }
                if (file.bytes() != null) {
                    assertTrue(file.bytes() > 0, where + ": bytes " + file.bytes());
                }
            }
        }
        // which archives are verified by SHA-256, and which stay unverified (no trustworthy published value)
        java.util.Set<String> withSha256 = new java.util.TreeSet<>();
        sources.all().forEach((id, d) -> d.files().stream().filter(f -> f.sha256() != null).findAny()
                .ifPresent(f -> withSha256.add(id)));
        assertEquals(java.util.Set.of("cifar10", "cifar100", "fashion-mnist", "imagenette", "stanford_dogs"), withSha256);
        for (String unverified : java.util.List.of("mit_indoor67", "miniplaces")) {
            assertTrue(sources.get(unverified).orElseThrow().files().stream()
                    .allMatch(f -> f.sha256() == null && f.md5() == null), unverified);
        }
    }
}
