package io.xscore.common.shard;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A block of preprocessed images as the dataset service stores and serves them and the trainer streams them.
 *
 * <p>Binary layout, version 1 (big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   bytes 0-3   magic "XSH1"
 *   int32       count     number of images
 *   int32       height
 *   int32       width
 *   int32       channels  1 (grey) or 3 (RGB)
 *   int32       classes   number of classes of the dataset
 *   int16[count] labels   class index of each image, 0 &lt;= label &lt; classes
 *   uint8[count*height*width*channels] pixels, image-major, then row, column, channel (HWC)
 * </pre>
 * Integrity is checked by the SHA-256 that the shard's manifest records, not inside the file.
 */
public record ImageShard(int height, int width, int channels, int classes, short[] labels, byte[] pixels) {

    public static final byte[] MAGIC = {'X', 'S', 'H', '1'};
    /** Refuses absurd headers before allocating: at most 2^31-1 pixel bytes per shard. */
    private static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 8;

    public ImageShard {
        if (height <= 0 || width <= 0 || (channels != 1 && channels != 3) || classes <= 0) {
            throw new IllegalArgumentException("bad shard geometry " + height + "x" + width + "x" + channels
                    + ", classes " + classes);
        }
        if ((long) labels.length * height * width * channels != pixels.length) {
            throw new IllegalArgumentException("pixel bytes " + pixels.length + " do not match " + labels.length
                    + " images of " + height + "x" + width + "x" + channels);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " outside [0, " + classes + ")");
            }
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageBytes() {
        return height * width * channels;
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.write(MAGIC);
        data.writeInt(count());
        data.writeInt(height);
        data.writeInt(width);
        data.writeInt(channels);
        data.writeInt(classes);
        for (short label : labels) {
            data.writeShort(label);
        }
        data.write(pixels);
        data.flush();
    }

    /** Reads one shard; throws {@link IOException} naming what is wrong for a truncated or foreign file. */
    public static ImageShard read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        try {
            byte[] magic = new byte[4];
            data.readFully(magic);
            if (magic[0] != MAGIC[0] || magic[1] != MAGIC[1] || magic[2] != MAGIC[2] || magic[3] != MAGIC[3]) {
                throw new IOException("not an xScore image shard (bad magic)");
            }
            int count = data.readInt();
            int height = data.readInt();
            int width = data.readInt();
            int channels = data.readInt();
            int classes = data.readInt();
            long pixelBytes = (long) count * height * width * channels;
            if (count < 0 || height <= 0 || width <= 0 || channels <= 0 || pixelBytes > MAX_PIXEL_BYTES) {
                throw new IOException("corrupt shard header: " + count + " images of " + height + "x" + width + "x"
                        + channels);
            }
            short[] labels = new short[count];
            for (int i = 0; i < count; i++) {
                labels[i] = data.readShort();
            }
            byte[] pixels = new byte[(int) pixelBytes];
            data.readFully(pixels);
            return new ImageShard(height, width, channels, classes, labels, pixels);
        } catch (EOFException e) {
            throw new IOException("truncated shard", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt shard: " + e.getMessage(), e);
        }
    }
}
