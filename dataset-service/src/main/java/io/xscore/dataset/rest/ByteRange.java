package io.xscore.dataset.rest;

import java.util.Optional;

/**
 * A single HTTP byte range ({@code Range: bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved against a length.
 * Multiple ranges and malformed headers are ignored (the whole entity is sent, as RFC 9110 allows);
 * unsatisfiable ones are reported so the caller answers 416.
 */
public record ByteRange(long first, long last) {

    /** Thrown for a syntactically valid range that selects nothing of the entity. */
    public static final class Unsatisfiable extends Exception {
        public Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    public long length() {
        return last - first + 1;
    }

    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null || !header.startsWith("bytes=")) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).strip();
        if (spec.contains(",")) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (first < 0 || (!b.isEmpty() && last < first)) {
                return Optional.empty();
            }
            if (first >= size) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
