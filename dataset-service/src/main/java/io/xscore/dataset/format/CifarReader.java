package io.xscore.dataset.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR "binary version" batches (cifar-10-binary.tar.gz, cifar-100-binary.tar.gz).
 *
 * <p>Each file is a sequence of fixed-size records: {@code labelBytes} label bytes (CIFAR-10: 1, the class;
 * CIFAR-100: 2, coarse then fine label), then 3072 pixel bytes: the 1024 red values of the 32x32 image row-major,
 * then the 1024 green, then the 1024 blue. This reader converts the planes to the shards' HWC layout and keeps the
 * label at {@code labelIndex} (CIFAR-100: 1 = the fine label, which the benchmark uses).
 */
public final class CifarReader {

    public static final int SIDE = 32;
    public static final int PIXELS = SIDE * SIDE * 3;

    private CifarReader() {
    }

    /** Reads and concatenates {@code files} in order; every error is a {@link FormatException} naming the file. */
    public static LabelledImages read(List<Path> files, int labelBytes, int labelIndex, int classes) throws IOException {
        int record = labelBytes + PIXELS;
        long total = 0;
        for (Path file : files) {
            long size = Files.size(file);
            if (size == 0 || size % record != 0) {
                throw new FormatException(file, "size " + size + " bytes is not a positive multiple of the "
                        + record + "-byte CIFAR record (" + labelBytes + " label byte(s) + 3072 pixels): wrong or"
                        + " truncated file");
            }
            total += size / record;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 8) {
            throw new FormatException(files.get(0), "too many records (" + total + ")");
        }
        int count = (int) total;
        short[] labels = new short[count];
        byte[] pixels = new byte[count * PIXELS];
        byte[] buffer = new byte[record];
        int index = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                long inFile = Files.size(file) / record;
                for (long r = 0; r < inFile; r++, index++) {
                    if (in.readNBytes(buffer, 0, record) != record) {
                        throw new FormatException(file, "truncated in record " + r);
                    }
                    int label = buffer[labelIndex] & 0xff;
                    if (label >= classes) {
                        throw new FormatException(file, "label " + label + " of record " + r + " is outside [0, "
                                + classes + "): not a " + (labelBytes == 1 ? "CIFAR-10" : "CIFAR-100") + " batch?");
                    }
                    labels[index] = (short) label;
                    int out = index * PIXELS;
                    for (int p = 0; p < SIDE * SIDE; p++) {
                        pixels[out++] = buffer[labelBytes + p];
                        pixels[out++] = buffer[labelBytes + 1024 + p];
                        pixels[out++] = buffer[labelBytes + 2048 + p];
                    }
                }
            }
        }
        return new LabelledImages(SIDE, SIDE, 3, classes, labels, pixels);
    }

    /** Non-empty lines of a names file ({@code batches.meta.txt}, {@code fine_label_names.txt}). */
    public static List<String> classNames(Path file, int classes) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != classes) {
            throw new FormatException(file, "lists " + names.size() + " class names, expected " + classes);
        }
        return names;
    }
}
