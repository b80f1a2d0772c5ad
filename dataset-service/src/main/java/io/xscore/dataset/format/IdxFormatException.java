package io.xscore.dataset.format;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that exists but cannot be read as what it claims to be; the message names the file. */
public class IdxFormatException extends IOException {

    private final transient Path file;

    public IdxFormatException(Path file, String reason) {
        this(file, reason, null);
    }

    public IdxFormatException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
