package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file (or directory) that exists but cannot be read as what it claims to be; the message starts with
 * the file's path. The HTTP layer reports it as a 500 {@code corrupt-data} problem and the catalog as {@code failed}.
 */
public class FormatException extends IOException {

    private final transient Path file;

    public FormatException(Path file, String reason) {
        this(file, reason, null);
    }

    public FormatException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
