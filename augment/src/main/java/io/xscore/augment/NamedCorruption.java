package io.xscore.augment;

import java.util.Objects;

/**
 * What every corruption of {@link Corruptions} and {@link SeededCorruptions} holds: its name, severity (checked to be
 * 1..5) and parameter scale; subclasses say whether they draw random numbers and how they change an image.
 */
abstract class NamedCorruption implements Corruption {

    private final String name;
    private final int severity;
    private final CorruptionScale scale;

    NamedCorruption(String name, int severity, CorruptionScale scale) {
        this.name = name;
        this.severity = Corruptions.checkSeverity(severity);
        this.scale = Objects.requireNonNull(scale, "scale");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int severity() {
        return severity;
    }

    @Override
    public CorruptionScale scale() {
        return scale;
    }

    @Override
    public String toString() {
        return description();
    }
}
