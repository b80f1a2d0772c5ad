package io.xscore.dataset.preprocess;

import io.xscore.common.catalog.DatasetInfo;
import io.xscore.dataset.catalog.DatasetSource;
import io.xscore.dataset.catalog.InMemorySplitReader;
import io.xscore.dataset.catalog.Split;
import io.xscore.dataset.catalog.SplitReader;
import io.xscore.dataset.format.LabelledImages;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A small deterministic in-memory source that counts how often it is opened. */
public final class TestSources {

    private TestSources() {
    }

    public static final class Counting implements DatasetSource {
        public final AtomicInteger opens = new AtomicInteger();
        private final DatasetInfo info;
        private final int count;
        private final long openMillis;

        public Counting(String id, int count, long openMillis) {
            this.info = new DatasetInfo(id, id, "synthetic", false, 3, count, count, 4, List.of(0.5), List.of(0.25));
            this.count = count;
            this.openMillis = openMillis;
        }

        @Override
        public DatasetInfo info() {
            return info;
        }

        @Override
        public Optional<String> missing() {
            return Optional.empty();
        }

        @Override
        public SplitReader open(Split split) {
            opens.incrementAndGet();
            if (openMillis > 0) {
                try {
                    Thread.sleep(openMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            short[] labels = new short[count];
            byte[] pixels = new byte[count * 4 * 4 * 3];
            for (int i = 0; i < count; i++) {
                labels[i] = (short) (i % 3);
            }
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (byte) (p * 31 + split.ordinal());
            }
            return new InMemorySplitReader(new LabelledImages(4, 4, 3, 3, labels, pixels));
        }
    }
}
