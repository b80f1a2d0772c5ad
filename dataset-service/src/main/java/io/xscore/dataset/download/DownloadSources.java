package io.xscore.dataset.download;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each public dataset can be downloaded from: {@code datasets/sources.json} on the class path, or a file
 * given by {@code xscore.dataset.sources-file}. Checksums that are not known for certain are {@code null} there (and
 * said so in {@code note}); such files are reported {@code unverified} instead of being checked against an invented
 * value.
 */
public final class DownloadSources {

    /** One file to fetch. {@code unpack}: a tar/tar.gz/tgz/zip archive to extract; otherwise stored as is. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileSpec(String url, Long bytes, String sha256, String md5, boolean unpack, String note) {

        /** The file name: the last path segment of the URL, restricted to safe characters. */
        public String name() {
            String path = URI.create(url).getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                throw new IllegalArgumentException("unsafe file name '" + name + "' in " + url);
            }
            return name;
        }
    }

    /** A dataset's source: its canonical page, notes (licence, what is unverified) and files. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatasetDownload(String page, String note, List<FileSpec> files) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Map<String, DatasetDownload> datasets;

    public DownloadSources(Map<String, DatasetDownload> datasets) {
        this.datasets = new TreeMap<>(datasets);
    }

    public static DownloadSources load(Optional<Path> file) throws IOException {
        TypeReference<Map<String, DatasetDownload>> type = new TypeReference<>() { };
        if (file.isPresent()) {
            try (InputStream in = Files.newInputStream(file.get())) {
                return new DownloadSources(MAPPER.readValue(in, type));
            }
        }
        try (InputStream in = DownloadSources.class.getResourceAsStream("/datasets/sources.json")) {
            if (in == null) {
                throw new IOException("datasets/sources.json missing from the class path");
            }
            return new DownloadSources(MAPPER.readValue(in, type));
        }
    }

    public Optional<DatasetDownload> get(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    public Map<String, DatasetDownload> all() {
        return Map.copyOf(datasets);
    }
}
