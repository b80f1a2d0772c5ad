package io.xscore.trainer.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status} (Linux): {@code VmRSS} now and {@code VmHWM}, the
 * peak. For a trainer it is dominated by PyTorch's native allocations (parameters, moments, activations,
 * allocator caches), which the JVM's own memory metrics do not see. −1 where /proc is not available.
 */
public final class NativeMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private NativeMemory() {
    }

    public static long residentBytes() {
        return field("VmRSS:");
    }

    public static long peakResidentBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
