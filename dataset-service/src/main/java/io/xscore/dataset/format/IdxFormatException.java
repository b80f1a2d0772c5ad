package io.xscore.dataset.format;

import java.nio.file.Path;

/** An IDX file that exists but cannot be read as what it claims to be; the message names the file. */
public class IdxFormatException extends FormatException {

    public IdxFormatException(Path file, String reason) {
        super(file, reason);
    }

    public IdxFormatException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
