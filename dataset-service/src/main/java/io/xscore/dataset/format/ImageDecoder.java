package io.xscore.dataset.format;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG/PNG/BMP/GIF files through {@link ImageIO} (with the TwelveMonkeys JPEG plugin on the class path, which
 * also reads CMYK/YCCK and slightly broken JPEGs the JDK decoder rejects) and resizes them to the dataset's cache
 * geometry as RGB, HWC, uint8.
 *
 * <p>Resizing: {@link Geometry#squash()} scales the whole image to {@code size x size} (aspect ratio not kept);
 * otherwise the shorter side is scaled to {@code shorter} and the centre {@code size x size} is cut out. Downscaling
 * halves the image with bilinear filtering until it is less than twice the target, then does one bilinear step (so
 * large reductions average all pixels instead of aliasing); upscaling is bicubic.
 */
public final class ImageDecoder {

    /** Target geometry: output {@code size x size}; {@code shorter} is the side length before the centre crop. */
    public record Geometry(int shorter, int size, boolean squash) {

        public Geometry {
            if (size <= 0 || (!squash && shorter < size)) {
                throw new IllegalArgumentException("bad geometry: shorter " + shorter + ", size " + size);
            }
        }

        /** Shorter side to {@code shorter}, centre crop {@code size}. */
        public static Geometry crop(int shorter, int size) {
            return new Geometry(shorter, size, false);
        }

        public static Geometry squash(int size) {
            return new Geometry(size, size, true);
        }

        public String describe() {
            return squash ? "squash" + size : "short" + shorter + "-crop" + size;
        }
    }

    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /** Decodes {@code file} and returns {@code size*size*3} RGB bytes; errors are {@link FormatException}s naming it. */
    public static byte[] decode(Path file, Geometry geometry) throws IOException {
        BufferedImage image = read(file);
        try {
            return resize(image, geometry);
        } catch (RuntimeException e) {
            throw new FormatException(file, "cannot resize " + image.getWidth() + "x" + image.getHeight() + " image: "
                    + e, e);
        }
    }

    public static BufferedImage read(Path file) throws IOException {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(file))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FormatException(file, "not a readable image (no ImageIO reader recognises its content)");
            }
            var reader = readers.next();
            try {
                reader.setInput(in, true, true);
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FormatException(file, "corrupt image: " + e.getMessage(), e);
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new FormatException(file, "decoded to an empty image");
        }
        return image;
    }

    /** Resizes to the geometry and returns RGB HWC bytes. */
    public static byte[] resize(BufferedImage source, Geometry geometry) {
        int w = source.getWidth();
        int h = source.getHeight();
        int size = geometry.size();
        // Source rectangle that maps onto the output square.
        double sx = 0;
        double sy = 0;
        double sw = w;
        double sh = h;
        if (!geometry.squash()) {
            double scale = (double) geometry.shorter() / Math.min(w, h);
            sw = size / scale;
            sh = size / scale;
            sx = (w - sw) / 2;
            sy = (h - sh) / 2;
        }
        BufferedImage region = rgb(source);
        int rx = Math.max(0, (int) Math.floor(sx + 1e-9));
        int ry = Math.max(0, (int) Math.floor(sy + 1e-9));
        int rw = Math.max(1, Math.min(w - rx, (int) Math.ceil(sx + sw - 1e-9) - rx));
        int rh = Math.max(1, Math.min(h - ry, (int) Math.ceil(sy + sh - 1e-9) - ry));
        region = region.getSubimage(rx, ry, rw, rh);
        while (region.getWidth() >= 2 * size && region.getHeight() >= 2 * size) {
            region = draw(region, region.getWidth() / 2, region.getHeight() / 2,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        boolean up = region.getWidth() < size || region.getHeight() < size;
        BufferedImage out = draw(region, size, size, up ? RenderingHints.VALUE_INTERPOLATION_BICUBIC
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[size * size * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }

    private static BufferedImage rgb(BufferedImage source) {
        if (source.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return source;
        }
        return draw(source, source.getWidth(), source.getHeight(), RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
