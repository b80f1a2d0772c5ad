package io.xscore.augment;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.NodeList;

/**
 * The deterministic common corruptions of Hendrycks &amp; Dietterich (ICLR 2019), written from the formulas of the
 * authors' {@code hendrycks/robustness} ({@code ImageNet-C/imagenet_c/imagenet_c/corruptions.py} for the
 * {@link CorruptionScale#IMAGENET} parameters, {@code ImageNet-C/create_c/make_cifar_c.py} for the
 * {@link CorruptionScale#CIFAR} ones), and the registry of all that exist ({@link #NAMES}, {@link #of}). Written here:
 * the deterministic ones, brightness, contrast, pixelate, JPEG and defocus blur, which ignore the seed; the seeded
 * ones are in {@link SeededCorruptions}, {@link MotionBlur} and {@link WeatherCorruptions}.
 *
 * <p>Like the reference, the float results are scaled by 255 after clipping to [0, 1] and truncated to 8 bits (the
 * reference's {@code np.uint8(...)}), not rounded. Outputs are platform-generated corruptions, not the published
 * datasets.
 */
public final class Corruptions {

    /**
     * The corruptions implemented, by their reference names, in the reference's order (noise, blur, weather, digital):
     * fourteen of the fifteen, and {@code frost-procedural}, a stand-in for {@code frost} with a generated texture
     * instead of the reference's photographs (see {@link FrostTexture}); {@code frost} itself is not available. The
     * noises, glass, motion blur, the weather corruptions and the elastic transform are seeded; the others ignore
     * the seed.
     */
    public static final List<String> NAMES = List.of("gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur",
            "glass_blur", "motion_blur", "zoom_blur", "snow", "frost-procedural", "fog", "brightness", "contrast",
            "elastic_transform", "pixelate", "jpeg_compression");

    private Corruptions() {
    }

    /** The corruption named as in the reference code (see {@link #NAMES}) at a severity 1–5 and scale. */
    public static Corruption of(String name, int severity, CorruptionScale scale) {
        return switch (name) {
            case "gaussian_noise" -> SeededCorruptions.gaussianNoise(severity, scale);
            case "shot_noise" -> SeededCorruptions.shotNoise(severity, scale);
            case "impulse_noise" -> SeededCorruptions.impulseNoise(severity, scale);
            case "brightness" -> brightness(severity, scale);
            case "contrast" -> contrast(severity, scale);
            case "pixelate" -> pixelate(severity, scale);
            case "jpeg_compression" -> jpeg(severity, scale);
            case "defocus_blur" -> defocusBlur(severity, scale);
            case "glass_blur" -> SeededCorruptions.glassBlur(severity, scale);
            case "zoom_blur" -> zoomBlur(severity, scale);
            case "elastic_transform" -> SeededCorruptions.elasticTransform(severity, scale);
            case "motion_blur" -> MotionBlur.motionBlur(severity, scale);
            case "snow" -> WeatherCorruptions.snow(severity, scale);
            case "fog" -> WeatherCorruptions.fog(severity, scale);
            case "frost-procedural" -> WeatherCorruptions.frostProcedural(severity, scale);
            case "frost" -> throw new IllegalArgumentException("'frost' needs the reference's frost photographs, which"
                    + " the platform does not have; 'frost-procedural' is a generated stand-in (not the published"
                    + " frost)");
            default -> throw new IllegalArgumentException("unknown or not yet implemented corruption '" + name
                    + "'; implemented: " + NAMES);
        };
    }

    /** {@link #of} with the scale picked for the image size by {@link CorruptionScale#forSize}. */
    public static Corruption forImage(String name, int severity, int height, int width) {
        return of(name, severity, CorruptionScale.forSize(height, width));
    }

    static int checkSeverity(int severity) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be 1..5, got " + severity);
        }
        return severity;
    }

    /** The severity's parameter from the table of the scale. */
    static double pick(CorruptionScale scale, int severity, double[] imagenet, double[] cifar) {
        return (scale == CorruptionScale.IMAGENET ? imagenet : cifar)[checkSeverity(severity) - 1];
    }

    /** {@code np.uint8(np.clip(v, 0, 1) * 255)}: clip, scale, truncate. */
    static int toByte(double v) {
        double c = v < 0 ? 0 : Math.min(v, 1.0);
        return (int) (c * 255);
    }

    private abstract static class Deterministic extends NamedCorruption {

        Deterministic(String name, int severity, CorruptionScale scale) {
            super(name, severity, scale);
        }

        @Override
        public boolean deterministic() {
            return true;
        }

        @Override
        public RgbImage apply(RgbImage image, long seed) {
            return apply(image);
        }

        abstract RgbImage apply(RgbImage image);
    }

    // ---------------------------------------------------------------- brightness

    static final double[] BRIGHTNESS_IMAGENET = {.1, .2, .3, .4, .5};
    static final double[] BRIGHTNESS_CIFAR = {.05, .1, .15, .2, .3};

    /**
     * {@code brightness}: to HSV (scikit-image's {@code rgb2hsv}), V ← clip(V + c, 0, 1), back ({@code hsv2rgb}).
     */
    public static Corruption brightness(int severity, CorruptionScale scale) {
        double c = pick(scale, severity, BRIGHTNESS_IMAGENET, BRIGHTNESS_CIFAR);
        return new Deterministic("brightness", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                RgbImage out = RgbImage.blank(image.height(), image.width());
                int plane = image.plane();
                byte[] in = image.data();
                double[] hsv = new double[3];
                double[] rgb = new double[3];
                for (int i = 0; i < plane; i++) {
                    rgb2hsv((in[i] & 0xFF) / 255.0, (in[plane + i] & 0xFF) / 255.0, (in[2 * plane + i] & 0xFF) / 255.0,
                            hsv);
                    hsv[2] = Math.min(Math.max(hsv[2] + c, 0), 1);
                    hsv2rgb(hsv[0], hsv[1], hsv[2], rgb);
                    for (int ch = 0; ch < 3; ch++) {
                        out.data()[ch * plane + i] = (byte) toByte(rgb[ch]);
                    }
                }
                return out;
            }
        };
    }

    /**
     * scikit-image's {@code rgb2hsv} of one pixel: V = max, S = (max − min)/V (0 where max = min), H from whichever
     * channel is the maximum, blue taking precedence over green over red on ties (the order in which scikit-image
     * assigns), divided by 6 and taken modulo 1; H = 0 where max = min.
     */
    static void rgb2hsv(double r, double g, double b, double[] hsv) {
        double v = Math.max(r, Math.max(g, b));
        double delta = v - Math.min(r, Math.min(g, b));
        if (delta == 0) {
            hsv[0] = 0;
            hsv[1] = 0;
            hsv[2] = v;
            return;
        }
        double h;
        if (b == v) {
            h = 4.0 + (r - g) / delta;
        } else if (g == v) {
            h = 2.0 + (b - r) / delta;
        } else {
            h = (g - b) / delta;
        }
        h /= 6.0;
        h -= Math.floor(h); // Python's % 1.0 for a finite float
        hsv[0] = h;
        hsv[1] = delta / v;
        hsv[2] = v;
    }

    /** scikit-image's {@code hsv2rgb} of one pixel (the six-sector formula with hi = ⌊6H⌋ mod 6). */
    static void hsv2rgb(double h, double s, double v, double[] rgb) {
        double hi = Math.floor(h * 6);
        double f = h * 6 - hi;
        double p = v * (1 - s);
        double q = v * (1 - f * s);
        double t = v * (1 - (1 - f) * s);
        switch (((int) hi % 6 + 6) % 6) {
            case 0 -> set(rgb, v, t, p);
            case 1 -> set(rgb, q, v, p);
            case 2 -> set(rgb, p, v, t);
            case 3 -> set(rgb, p, q, v);
            case 4 -> set(rgb, t, p, v);
            default -> set(rgb, v, p, q);
        }
    }

    private static void set(double[] rgb, double r, double g, double b) {
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
    }

    // ---------------------------------------------------------------- contrast

    static final double[] CONTRAST_IMAGENET = {.4, .3, .2, .1, .05};
    static final double[] CONTRAST_CIFAR = {.75, .5, .4, .3, .15};

    /**
     * {@code contrast}: x ← (x − m)·c + m on x/255, where m is the mean of each channel over all pixels (the
     * reference's {@code np.mean(x, axis=(0, 1))} on an H×W×3 array: one mean per channel).
     */
    public static Corruption contrast(int severity, CorruptionScale scale) {
        double c = pick(scale, severity, CONTRAST_IMAGENET, CONTRAST_CIFAR);
        return new Deterministic("contrast", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                RgbImage out = RgbImage.blank(image.height(), image.width());
                int plane = image.plane();
                byte[] in = image.data();
                for (int ch = 0; ch < 3; ch++) {
                    double sum = 0;
                    for (int i = 0; i < plane; i++) {
                        sum += (in[ch * plane + i] & 0xFF) / 255.0;
                    }
                    double mean = sum / plane;
                    for (int i = 0; i < plane; i++) {
                        double x = (in[ch * plane + i] & 0xFF) / 255.0;
                        out.data()[ch * plane + i] = (byte) toByte((x - mean) * c + mean);
                    }
                }
                return out;
            }
        };
    }

    // ---------------------------------------------------------------- pixelate

    static final double[] PIXELATE_IMAGENET = {.6, .5, .4, .3, .25};
    static final double[] PIXELATE_CIFAR = {.95, .9, .85, .75, .65};

    /**
     * {@code pixelate}: Pillow BOX resize to {@code int(side · c)} on each axis, then Pillow BOX back to the original
     * size ({@link PillowBicubic#resizeBox}). The reference hard-codes its image size (32 or 224); here each axis of
     * the actual image is scaled (at least 1 px).
     */
    public static Corruption pixelate(int severity, CorruptionScale scale) {
        double c = pick(scale, severity, PIXELATE_IMAGENET, PIXELATE_CIFAR);
        return new Deterministic("pixelate", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                int h = Math.max(1, (int) (image.height() * c));
                int w = Math.max(1, (int) (image.width() * c));
                RgbImage small = PillowBicubic.resizeBox(image, h, w);
                return PillowBicubic.resizeBox(small, image.height(), image.width());
            }
        };
    }

    // ---------------------------------------------------------------- JPEG

    static final double[] JPEG_IMAGENET = {25, 18, 15, 10, 7};
    static final double[] JPEG_CIFAR = {80, 65, 58, 50, 40};

    /**
     * {@code jpeg_compression}: encode at quality q and decode, with the JDK's ImageIO JPEG codec. The quantisation
     * tables are set explicitly to what libjpeg's {@code jpeg_set_quality(q, force_baseline)} makes (Pillow's path):
     * the Annex K tables scaled by 5000/q (q &lt; 50) or 200 − 2q percent with integer arithmetic, clamped to 1..255;
     * ImageIO's own quality setting scales in floating point and would differ by one step in some entries. Baseline,
     * YCbCr 4:2:0 and the standard Huffman tables, as Pillow's defaults. The encoder and decoder are still not
     * libjpeg-turbo's, so pixels may differ slightly from Pillow's: compare by PSNR, not bytes.
     */
    public static Corruption jpeg(int severity, CorruptionScale scale) {
        int quality = (int) pick(scale, severity, JPEG_IMAGENET, JPEG_CIFAR);
        return new Deterministic("jpeg_compression", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                return jpegRoundTrip(image, quality);
            }
        };
    }

    /** libjpeg's {@code jpeg_quality_scaling} then {@code jpeg_add_quant_table} with force_baseline. */
    static JPEGQTable libjpegTable(JPEGQTable basic, int quality) {
        int q = Math.max(1, Math.min(100, quality));
        int scale = q < 50 ? 5000 / q : 200 - q * 2;
        int[] table = basic.getTable();
        for (int i = 0; i < table.length; i++) {
            long temp = ((long) table[i] * scale + 50L) / 100L;
            table[i] = (int) Math.max(1, Math.min(255, temp));
        }
        return new JPEGQTable(table);
    }

    static RgbImage jpegRoundTrip(RgbImage image, int quality) {
        int h = image.height();
        int w = image.width();
        int plane = image.plane();
        BufferedImage buffered = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] d = image.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                buffered.setRGB(x, y, (d[i] & 0xFF) << 16 | (d[plane + i] & 0xFF) << 8 | (d[2 * plane + i] & 0xFF));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            // ImageIO uses tables set on a write param only for abbreviated streams (no DQT segment), so the tables
            // go into the image metadata's dqt nodes instead, and no quality is set
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(buffered), null);
            String format = metadata.getNativeMetadataFormatName();
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            NodeList tables = root.getElementsByTagName("dqtable");
            if (tables.getLength() != 2) {
                throw new IllegalStateException("expected 2 quantisation tables in ImageIO's default JPEG metadata");
            }
            for (int i = 0; i < tables.getLength(); i++) {
                IIOMetadataNode table = (IIOMetadataNode) tables.item(i);
                int id = Integer.parseInt(table.getAttribute("qtableId"));
                table.setUserObject(libjpegTable(id == 0 ? JPEGQTable.K1Luminance : JPEGQTable.K2Chrominance,
                        quality));
            }
            metadata.setFromTree(format, root);
            writer.write(null, new IIOImage(buffered, null, metadata), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RgbImage out = RgbImage.blank(h, w);
        byte[] o = out.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = decoded.getRGB(x, y);
                int i = y * w + x;
                o[i] = (byte) (rgb >> 16);
                o[plane + i] = (byte) (rgb >> 8);
                o[2 * plane + i] = (byte) rgb;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- zoom blur

    /** The reference's {@code np.arange(1, stop, step)} per severity: {stop, step}. */
    static final double[][] ZOOM_IMAGENET = {{1.11, .01}, {1.16, .01}, {1.21, .02}, {1.26, .02}, {1.31, .03}};
    static final double[][] ZOOM_CIFAR = {{1.06, .01}, {1.11, .01}, {1.16, .01}, {1.21, .01}, {1.26, .01}};

    /**
     * The zoom factors of {@code np.arange(1, stop, step)} as numpy makes them: ⌈(stop − 1)/step⌉ values (in double,
     * so {@code arange(1, 1.06, .01)} has 7, 1.06 included), the i-th 1 + i·δ with δ = (1 + step) − 1.
     */
    static double[] zoomFactors(double stop, double step) {
        int n = (int) Math.ceil((stop - 1) / step);
        double delta = (1 + step) - 1;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = i == 0 ? 1 : 1 + i * delta;
        }
        return z;
    }

    /**
     * {@code zoom_blur}: the mean of x/255 and its {@link #clippedZoom} by every factor of the severity's range, in
     * float32 as the reference ({@code (x + Σ zooms) / (n + 1)}, summed in the factors' order).
     */
    public static Corruption zoomBlur(int severity, CorruptionScale scale) {
        double[] range = (scale == CorruptionScale.IMAGENET ? ZOOM_IMAGENET : ZOOM_CIFAR)[checkSeverity(severity) - 1];
        double[] factors = zoomFactors(range[0], range[1]);
        return new Deterministic("zoom_blur", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                byte[] in = image.data();
                float[] x = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    x[i] = (float) ((in[i] & 0xFF) / 255.0); // (np.array(x) / 255.).astype(np.float32)
                }
                float[] sum = new float[in.length];
                for (double z : factors) {
                    float[] zoomed = clippedZoom(x, image.height(), image.width(), z);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += zoomed[i];
                    }
                }
                RgbImage out = RgbImage.blank(image.height(), image.width());
                float n = factors.length + 1;
                for (int i = 0; i < sum.length; i++) {
                    float v = (x[i] + sum[i]) / n;
                    v = v < 0 ? 0 : Math.min(v, 1f);
                    out.data()[i] = (byte) (int) (v * 255f); // float32 · 255, truncated
                }
                return out;
            }
        };
    }

    /**
     * The reference's {@code clipped_zoom} on a float32 CHW image: the centre crop of ⌈side/z⌉ px, zoomed by
     * {@code scipy.ndimage.zoom(crop, (z, z, 1), order=1)} to round(crop·z) px (Python's round, half to even), then
     * the centre side × side trimmed out. scipy's order-1 zoom without {@code grid_mode} maps output index o to input
     * coordinate o·(in − 1)/(out − 1) and interpolates linearly, in double, summing the corner terms value·w_y·w_x in
     * scipy's order, stored as float32. The reference crops a square of the first side on both axes (its images are
     * square); here each axis uses its own side, which is the same on square images.
     */
    static float[] clippedZoom(float[] x, int h, int w, double z) {
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        double[] wy = new double[h];
        zoomAxis(h, z, y0, y1, wy);
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        double[] wx = new double[w];
        zoomAxis(w, z, x0, x1, wx);
        int plane = h * w;
        float[] out = new float[x.length];
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int y = 0; y < h; y++) {
                int r0 = base + y0[y] * w;
                int r1 = base + y1[y] * w;
                double ty = wy[y];
                double sy = 1 - ty;
                for (int xx = 0; xx < w; xx++) {
                    double tx = wx[xx];
                    double sx = 1 - tx;
                    double v = x[r0 + x0[xx]] * sy * sx;
                    v += x[r0 + x1[xx]] * sy * tx;
                    v += x[r1 + x0[xx]] * ty * sx;
                    v += x[r1 + x1[xx]] * ty * tx;
                    out[base + y * w + xx] = (float) v;
                }
            }
        }
        return out;
    }

    /**
     * {@link #clippedZoom} of one h×w plane in double (the reference zooms snow's float64 noise layer this way), with
     * the same interpolation and summation order.
     */
    static double[] clippedZoomPlane(double[] x, int h, int w, double z) {
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        double[] wy = new double[h];
        zoomAxis(h, z, y0, y1, wy);
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        double[] wx = new double[w];
        zoomAxis(w, z, x0, x1, wx);
        double[] out = new double[h * w];
        for (int y = 0; y < h; y++) {
            int r0 = y0[y] * w;
            int r1 = y1[y] * w;
            double ty = wy[y];
            double sy = 1 - ty;
            for (int xx = 0; xx < w; xx++) {
                double tx = wx[xx];
                double sx = 1 - tx;
                double v = x[r0 + x0[xx]] * sy * sx;
                v += x[r0 + x1[xx]] * sy * tx;
                v += x[r1 + x0[xx]] * ty * sx;
                v += x[r1 + x1[xx]] * ty * tx;
                out[y * w + xx] = v;
            }
        }
        return out;
    }

    /**
     * For each output index along one axis of {@link #clippedZoom}: the two image indices and the weight of the second.
     */
    private static void zoomAxis(int side, double z, int[] i0, int[] i1, double[] t) {
        int crop = (int) Math.ceil(side / z);
        int top = (side - crop) / 2;
        int zoomed = (int) Math.rint(crop * z);
        double step = zoomed > 1 ? (crop - 1.0) / (zoomed - 1.0) : 1.0;
        int trim = (zoomed - side) / 2;
        for (int o = 0; o < side; o++) {
            double cc = (o + trim) * step;
            int f = (int) Math.floor(cc);
            if (f >= crop - 1) { // at (or a rounding error past) the last sample: its weight is all there is
                f = crop - 1;
                cc = f;
            }
            i0[o] = top + f;
            i1[o] = top + Math.min(f + 1, crop - 1);
            t[o] = cc - f;
        }
    }

    // ---------------------------------------------------------------- defocus blur

    static final double[][] DEFOCUS_IMAGENET = {{3, .1}, {4, .5}, {6, .5}, {8, .5}, {10, .5}};
    static final double[][] DEFOCUS_CIFAR = {{.3, .4}, {.4, .5}, {.5, .6}, {1, .2}, {1.5, .1}};

    /**
     * {@code defocus_blur}: each channel of x/255 filtered with {@link #disk} (OpenCV {@code filter2D}: correlation
     * with the kernel centred, border {@code BORDER_REFLECT_101}, i.e. {@code dcb|abcd|cba}, the edge pixel not
     * repeated).
     */
    public static Corruption defocusBlur(int severity, CorruptionScale scale) {
        double[] c = (scale == CorruptionScale.IMAGENET ? DEFOCUS_IMAGENET : DEFOCUS_CIFAR)[checkSeverity(severity)
                - 1];
        double[][] kernel = disk(c[0], c[1]);
        return new Deterministic("defocus_blur", severity, scale) {
            @Override
            RgbImage apply(RgbImage image) {
                int h = image.height();
                int w = image.width();
                int plane = image.plane();
                int k = kernel.length;
                int half = k / 2;
                int[][] rows = new int[h][k];
                int[][] cols = new int[w][k];
                for (int y = 0; y < h; y++) {
                    for (int j = 0; j < k; j++) {
                        rows[y][j] = reflect101(y + j - half, h);
                    }
                }
                for (int x = 0; x < w; x++) {
                    for (int j = 0; j < k; j++) {
                        cols[x][j] = reflect101(x + j - half, w);
                    }
                }
                RgbImage out = RgbImage.blank(h, w);
                byte[] in = image.data();
                for (int ch = 0; ch < 3; ch++) {
                    int base = ch * plane;
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            double sum = 0;
                            for (int i = 0; i < k; i++) {
                                int row = base + rows[y][i] * w;
                                double[] kr = kernel[i];
                                for (int j = 0; j < k; j++) {
                                    if (kr[j] != 0) {
                                        sum += kr[j] * ((in[row + cols[x][j]] & 0xFF) / 255.0);
                                    }
                                }
                            }
                            out.data()[base + y * w + x] = (byte) toByte(sum);
                        }
                    }
                }
                return out;
            }
        };
    }

    /**
     * The reference's {@code disk(radius, alias_blur)}: on the grid L = −8..8 (radius ≤ 8) or −r..r (larger), the
     * indicator of x² + y² ≤ r², normalised to sum 1, then OpenCV {@code GaussianBlur} with a 3×3 (radius ≤ 8) or 5×5
     * kernel of σ = alias_blur (weights exp(−d²/2σ²) normalised, separable, border {@code BORDER_REFLECT_101}). The
     * result is used as is, not renormalised (the reflected border adds weight where the disk touches the grid's edge,
     * radius 8 on L = −8..8), and rounded to float32 as the reference's kernel is: with a double kernel a blurred
     * linear ramp lands just below or above integers and truncation flips by one.
     */
    static double[][] disk(double radius, double aliasBlur) {
        int half;
        int ksize;
        if (radius <= 8) {
            half = 8;
            ksize = 3;
        } else {
            half = (int) radius;
            ksize = 5;
        }
        int n = 2 * half + 1;
        double[][] d = new double[n][n];
        double count = 0;
        for (int y = -half; y <= half; y++) {
            for (int x = -half; x <= half; x++) {
                if (x * x + y * y <= radius * radius) {
                    d[y + half][x + half] = 1;
                    count++;
                }
            }
        }
        float weight = 1f / (float) count; // the reference's kernel is float32 (disk's dtype)
        for (double[] row : d) {
            for (int x = 0; x < n; x++) {
                row[x] = row[x] * weight;
            }
        }
        double[] g = gaussianKernel(ksize, aliasBlur);
        int gh = ksize / 2;
        double[][] tmp = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int j = 0; j < ksize; j++) {
                    s += g[j] * d[y][reflect101(x + j - gh, n)];
                }
                tmp[y][x] = s;
            }
        }
        double[][] out = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double s = 0;
                for (int j = 0; j < ksize; j++) {
                    s += g[j] * tmp[reflect101(y + j - gh, n)][x];
                }
                out[y][x] = (float) s; // float32, as the reference's kernel
            }
        }
        return out;
    }

    /** OpenCV's {@code getGaussianKernel(n, σ)} for σ &gt; 0: exp(−(i − (n−1)/2)²/(2σ²)), normalised to sum 1. */
    static double[] gaussianKernel(int n, double sigma) {
        double[] k = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = i - (n - 1) / 2.0;
            k[i] = Math.exp(-x * x / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < n; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** OpenCV's {@code BORDER_REFLECT_101} index: reflect about the edge pixels without repeating them. */
    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
