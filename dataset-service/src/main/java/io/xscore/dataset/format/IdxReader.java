package io.xscore.dataset.format;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of (Fashion-)MNIST, gzipped or not (detected from the first bytes, not the name).
 *
 * <p>Format: big-endian int32 magic {@code 0x00000803} (unsigned bytes, 3 dimensions) for images or
 * {@code 0x00000801} (unsigned bytes, 1 dimension) for labels, then one big-endian int32 per dimension, then the
 * data, row-major. Every error is an {@link IdxFormatException} naming the file.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    /** Images of one IDX file: {@code count} greyscale images of {@code rows x cols}, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    private IdxReader() {
    }

    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in, IMAGES_MAGIC, "images");
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            long bytes = (long) count * rows * cols;
            if (count < 0 || rows <= 0 || cols <= 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(file, "implausible image dimensions " + count + " x " + rows + " x " + cols);
            }
            byte[] pixels = new byte[(int) bytes];
            readFully(file, in, pixels, count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated header", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /** Reads labels and checks each is in {@code [0, classes)}. */
    public static short[] readLabels(Path file, int classes) throws IOException {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in, LABELS_MAGIC, "labels");
            int count = in.readInt();
            if (count < 0) {
                throw new IdxFormatException(file, "negative label count " + count);
            }
            byte[] raw = new byte[count];
            readFully(file, in, raw, count + " labels");
            short[] labels = new short[count];
            for (int i = 0; i < count; i++) {
                int label = raw[i] & 0xff;
                if (label >= classes) {
                    throw new IdxFormatException(file, "label " + label + " of item " + i + " is outside [0, "
                            + classes + ")");
                }
                labels[i] = (short) label;
            }
            return labels;
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated header", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /** Reads an images file and its labels file and checks that they describe the same number of items. */
    public static LabelledImages read(Path imagesFile, Path labelsFile, int classes) throws IOException {
        Images images = readImages(imagesFile);
        short[] labels = readLabels(labelsFile, classes);
        if (labels.length != images.count()) {
            throw new IdxFormatException(labelsFile, "has " + labels.length + " labels but " + imagesFile + " has "
                    + images.count() + " images");
        }
        return new LabelledImages(images.rows(), images.cols(), 1, classes, labels, images.pixels());
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return new DataInputStream(in);
        } catch (ZipException e) {
            raw.close();
            throw new IdxFormatException(file, "corrupt gzip header: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static void expectMagic(Path file, DataInputStream in, int expected, String what) throws IOException {
        int magic = in.readInt();
        if (magic != expected) {
            throw new IdxFormatException(file, String.format("wrong magic number 0x%08x for IDX %s (expected 0x%08x)",
                    magic, what, expected));
        }
    }

    private static void readFully(Path file, DataInputStream in, byte[] into, String what) throws IOException {
        int read = 0;
        while (read < into.length) {
            int n;
            try {
                n = in.read(into, read, into.length - read);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IdxFormatException(file, "truncated: header announces " + what + " (" + into.length
                        + " bytes) but the data ends after " + read + " bytes");
            }
            read += n;
        }
    }
}
