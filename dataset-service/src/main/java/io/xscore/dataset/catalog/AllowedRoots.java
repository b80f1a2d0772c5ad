package io.xscore.dataset.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories under which datasets may be registered ({@code xscore.dataset.allowed-roots}). A path is accepted
 * when it is absolute, at most {@link #MAX_LENGTH} characters, free of NUL and other control characters and of
 * {@code ..} segments, lies inside one of the roots as written, exists, is a directory, and its real path (symbolic
 * links resolved) lies inside the real path of one of the roots.
 * <p>
 * What a refusal says is limited to what the caller sent: never what a symbolic link resolves to, nor where the roots
 * are. The check whether the path lies inside a root comes before the check whether it exists, so the answers do not
 * tell anyone which paths exist elsewhere on the server.
 */
public final class AllowedRoots {

    /** Longest accepted path (characters): Linux's PATH_MAX. */
    public static final int MAX_LENGTH = 4096;

    private final List<Path> roots;

    public AllowedRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** A path that passed {@link #check}: its real path, and the path as the caller sent it. */
    public record Checked(Path real, String sent) {
    }

    /** The checked path, or a 400 {@link DatasetException} saying what is wrong (in terms of what was sent). */
    public Checked check(String raw) {
        if (raw == null || raw.isBlank()) {
            throw bad(null, "a non-empty \"path\" is required");
        }
        if (raw.length() > MAX_LENGTH) {
            throw bad(null, "\"path\" has " + raw.length() + " characters, more than " + MAX_LENGTH);
        }
        if (raw.indexOf('\0') >= 0) {
            throw bad(null, "\"path\" contains a NUL character");
        }
        if (raw.chars().anyMatch(Character::isISOControl)) {
            throw bad(null, "\"path\" contains a control character");
        }
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw bad(raw, "not a valid path");
        }
        if (!path.isAbsolute()) {
            throw bad(raw, "must be absolute");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw bad(raw, "must not contain '..' segments");
            }
        }
        Path normalised = path.normalize();
        if (roots.stream().noneMatch(root -> normalised.startsWith(root.toAbsolutePath().normalize())
                || normalised.startsWith(realOrSelf(root)))) {
            throw bad(raw, "is outside the allowed roots (xscore.dataset.allowed-roots)");
        }
        if (!Files.isDirectory(path)) {
            throw bad(raw, "is not an existing directory");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw bad(raw, "cannot be resolved");
        }
        for (Path root : roots) {
            try {
                if (real.startsWith(root.toAbsolutePath().normalize().toRealPath())) {
                    return new Checked(real, raw);
                }
            } catch (IOException e) {
                // an absent root holds nothing
            }
        }
        // Inside a root as written, outside once resolved: a symbolic link leads out. Where to is not the caller's
        // business.
        throw bad(raw, "is outside the allowed roots (xscore.dataset.allowed-roots)");
    }

    private static Path realOrSelf(Path root) {
        try {
            return root.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }

    private static DatasetException bad(String raw, String why) {
        return DatasetException.echoing(400, "bad-path", "Invalid dataset path",
                raw == null ? why : "path '" + raw + "': " + why, raw);
    }
}
