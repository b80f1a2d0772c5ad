package io.xscore.dataset.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Ten geometric classes drawn with Java2D: circle, square, triangle, cross, ring, horizontal bar, vertical bar,
 * diamond, star, 3x3 dot grid; random size, position, small rotation, colours on a random gradient background,
 * a distracting thin line and pixel noise.
 */
public final class ShapesGenerator implements ImageGenerator {

    public static final String[] CLASS_NAMES = {"circle", "square", "triangle", "cross", "ring", "bar-horizontal",
        "bar-vertical", "diamond", "star", "dot-grid"};

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    @Override
    public int classes() {
        return CLASS_NAMES.length;
    }

    @Override
    public void render(int label, SplittableRandom rnd, int size, byte[] out, int offset) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int[][] colours = Pixels.contrastingPair(rnd, 70);
            Color fg = color(colours[0]);
            Color bg = color(colours[1]);
            Color bg2 = jitter(colours[1], rnd, 50);
            g.setPaint(new GradientPaint(rnd.nextInt(size), rnd.nextInt(size), bg, rnd.nextInt(size),
                    rnd.nextInt(size), bg2));
            g.fillRect(0, 0, size, size);
            // A thin distractor line in a colour between the two.
            g.setColor(mix(colours[0], colours[1]));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(rnd.nextInt(size), rnd.nextInt(size), rnd.nextInt(size), rnd.nextInt(size));

            double r = size * (0.18 + 0.16 * rnd.nextDouble());
            double margin = r * 1.05;
            double cx = margin + rnd.nextDouble() * Math.max(0, size - 2 * margin);
            double cy = margin + rnd.nextDouble() * Math.max(0, size - 2 * margin);
            g.translate(cx, cy);
            g.rotate((rnd.nextDouble() - 0.5) * 0.5);
            g.setColor(fg);
            draw(g, label, r);
        } finally {
            g.dispose();
        }
        int[] rgb = image.getRGB(0, 0, size, size, null, 0, size);
        double sigma = 6 + 8 * rnd.nextDouble();
        for (int p = 0; p < rgb.length; p++) {
            int base = offset + 3 * p;
            Pixels.put(out, base, (rgb[p] >> 16) & 0xff, sigma, rnd);
            Pixels.put(out, base + 1, (rgb[p] >> 8) & 0xff, sigma, rnd);
            Pixels.put(out, base + 2, rgb[p] & 0xff, sigma, rnd);
        }
    }

    private static void draw(Graphics2D g, int label, double r) {
        switch (label) {
            case 0 -> g.fill(new Ellipse2D.Double(-r, -r, 2 * r, 2 * r));
            case 1 -> g.fill(new Rectangle2D.Double(-0.85 * r, -0.85 * r, 1.7 * r, 1.7 * r));
            case 2 -> g.fill(polygon(0, -r, 0.9 * r, 0.6 * r, -0.9 * r, 0.6 * r));
            case 3 -> {
                g.fill(new Rectangle2D.Double(-r, -0.25 * r, 2 * r, 0.5 * r));
                g.fill(new Rectangle2D.Double(-0.25 * r, -r, 0.5 * r, 2 * r));
            }
            case 4 -> {
                g.setStroke(new BasicStroke((float) (0.3 * r)));
                g.draw(new Ellipse2D.Double(-0.8 * r, -0.8 * r, 1.6 * r, 1.6 * r));
            }
            case 5 -> g.fill(new Rectangle2D.Double(-r, -0.22 * r, 2 * r, 0.44 * r));
            case 6 -> g.fill(new Rectangle2D.Double(-0.22 * r, -r, 0.44 * r, 2 * r));
            case 7 -> g.fill(polygon(0, -r, 0.6 * r, 0, 0, r, -0.6 * r, 0));
            case 8 -> g.fill(star(r));
            case 9 -> {
                double d = 0.17 * r;
                for (int i = -1; i <= 1; i++) {
                    for (int j = -1; j <= 1; j++) {
                        g.fill(new Ellipse2D.Double(i * 0.7 * r - d, j * 0.7 * r - d, 2 * d, 2 * d));
                    }
                }
            }
            default -> throw new IllegalArgumentException("no shape class " + label);
        }
    }

    private static Path2D polygon(double... xy) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            path.lineTo(xy[i], xy[i + 1]);
        }
        path.closePath();
        return path;
    }

    private static Path2D star(double r) {
        double[] xy = new double[20];
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? r : 0.4 * r;
            double angle = -Math.PI / 2 + i * Math.PI / 5;
            xy[2 * i] = radius * Math.cos(angle);
            xy[2 * i + 1] = radius * Math.sin(angle);
        }
        return polygon(xy);
    }

    private static Color color(int[] rgb) {
        return new Color(rgb[0], rgb[1], rgb[2]);
    }

    private static Color mix(int[] a, int[] b) {
        return new Color((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2);
    }

    private static Color jitter(int[] rgb, SplittableRandom rnd, int amount) {
        int[] c = new int[3];
        for (int i = 0; i < 3; i++) {
            c[i] = Math.max(0, Math.min(255, rgb[i] + rnd.nextInt(2 * amount + 1) - amount));
        }
        return color(c);
    }
}
