package io.xscore.dataset.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Directories registered for dataset ids, persisted as {@code registry.json} (written to a temporary file and
 * renamed, so it is never half-written). {@code null} file = in memory only (unit tests).
 */
public final class DatasetRegistry {

    /**
     * One registration. {@code split}: HAM10000 {@code stratified} (default) | {@code lesion-grouped}; Stanford Dogs
     * {@code official} (default) | {@code random-80-20}. {@code resolution}, {@code name}: custom image-folder datasets.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String split, Long seed, Integer resolution, String name, String registeredAt) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();

    public DatasetRegistry(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try {
                entries.putAll(MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Entry>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable dataset registry " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public static DatasetRegistry inMemory() {
        return new DatasetRegistry(null);
    }

    public synchronized Optional<Entry> get(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    public synchronized Map<String, Entry> all() {
        return Map.copyOf(entries);
    }

    public synchronized void put(String id, Entry entry) throws IOException {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.put(id, entry);
        if (file != null) {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.write(temp, MAPPER.writeValueAsBytes(next));
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        entries.clear();
        entries.putAll(next);
    }
}
