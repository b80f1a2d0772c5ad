package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.shard.ImageShard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageShardTest {

    static ImageShard sample() {
        Random r = new Random(1);
        short[] labels = {0, 3, 9, 2};
        byte[] pixels = new byte[4 * 5 * 6 * 3];
        r.nextBytes(pixels);
        return new ImageShard(5, 6, 3, 10, labels, pixels);
    }

    @Test
    void roundTrips() throws IOException {
        ImageShard shard = sample();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        shard.write(out);
        assertEquals(4 + 5 * 4 + 4 * 2 + shard.pixels().length, out.size());
        ImageShard back = ImageShard.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(4, back.count());
        assertArrayEquals(shard.labels(), back.labels());
        assertArrayEquals(shard.pixels(), back.pixels());
    }

    @Test
    void truncatedAndForeignFilesAreRejected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample().write(out);
        byte[] bytes = out.toByteArray();
        IOException e = assertThrows(IOException.class,
                () -> ImageShard.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 1))));
        assertTrue(e.getMessage().contains("truncated"));
        bytes[0] = 'Z';
        e = assertThrows(IOException.class, () -> ImageShard.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains("magic"));
    }

    @Test
    void labelsOutsideTheClassRangeAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ImageShard(1, 1, 1, 2, new short[] {2}, new byte[1]));
    }
}
