package io.xscore.dataset.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories under which datasets may be registered ({@code xscore.dataset.allowed-roots}). A path is accepted
 * when it is absolute, contains no {@code ..} segment and no NUL, exists, is a directory, and its real path (symbolic
 * links resolved) lies inside the real path of one of the roots.
 */
public final class AllowedRoots {

    private final List<Path> roots;

    public AllowedRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The checked real path of {@code raw}, or a 400 {@link DatasetException} saying what is wrong. */
    public Path check(String raw) {
        if (raw == null || raw.isBlank()) {
            throw bad(raw, "a non-empty \"path\" is required");
        }
        if (raw.indexOf('\0') >= 0) {
            throw bad(raw, "contains a NUL character");
        }
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw bad(raw, "not a valid path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw bad(raw, "must be absolute");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw bad(raw, "must not contain '..' segments");
            }
        }
        if (!Files.isDirectory(path)) {
            throw bad(raw, "is not an existing directory");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw bad(raw, "cannot be resolved: " + e.getMessage());
        }
        List<String> allowed = new ArrayList<>();
        for (Path root : roots) {
            try {
                Path realRoot = root.toAbsolutePath().normalize().toRealPath();
                if (real.startsWith(realRoot)) {
                    return real;
                }
                allowed.add(realRoot.toString());
            } catch (IOException e) {
                allowed.add(root + " (absent)");
            }
        }
        throw bad(raw, "resolves to " + real + ", which is outside the allowed roots " + allowed
                + " (xscore.dataset.allowed-roots)");
    }

    private static DatasetException bad(String raw, String why) {
        return new DatasetException(400, "bad-path", "Invalid dataset path", "path '" + raw + "': " + why, null);
    }
}
