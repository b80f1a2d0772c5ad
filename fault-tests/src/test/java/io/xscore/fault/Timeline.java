package io.xscore.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * What the suite did and saw, in order, with the seconds since the suite started: printed and appended to
 * {@code timeline.log} beside the collected service logs, so a failure can be read against the services' logs.
 */
final class Timeline {

    private static final long START = System.nanoTime();
    private static volatile Path file;

    private Timeline() {
    }

    static void writeTo(Path path) {
        file = path;
    }

    static double seconds() {
        return (System.nanoTime() - START) / 1e9;
    }

    static synchronized void log(String format, Object... args) {
        String line = String.format("[fault %7.1fs %s] %s", seconds(), Instant.now(), String.format(format, args));
        System.out.println(line);
        Path f = file;
        if (f != null) {
            try {
                Files.createDirectories(f.getParent());
                Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String human(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
