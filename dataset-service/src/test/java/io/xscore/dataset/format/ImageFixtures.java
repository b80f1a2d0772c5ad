package io.xscore.dataset.format;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Tiny files in the datasets' native formats, written by the tests. */
public final class ImageFixtures {

    private ImageFixtures() {
    }

    /** A {@code w x h} image filled with {@code rgb} and a white diagonal, as JPEG or PNG by the file's extension. */
    public static Path image(Path file, int w, int h, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.drawLine(0, 0, w - 1, h - 1);
        g.dispose();
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString().toLowerCase();
        if (!ImageIO.write(image, name.endsWith(".png") ? "png" : "jpeg", file.toFile())) {
            throw new IOException("no writer for " + file);
        }
        return file;
    }

    public static Path jpeg(Path file) throws IOException {
        return image(file, 40, 30, 0x3366cc);
    }

    public static Path text(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    public static Path text(Path file, List<String> lines) throws IOException {
        return text(file, lines.toArray(String[]::new));
    }

    /**
     * A CIFAR binary batch: per record {@code labelBytes} label bytes ({@code labels[r]} repeated; for CIFAR-100
     * the coarse byte is {@code 19 - fine % 20}) then 3072 pixel bytes, plane R = r+1, G = 100+r, B = 200+r.
     */
    public static Path cifarBatch(Path file, int labelBytes, int... labels) throws IOException {
        byte[] bytes = new byte[labels.length * (labelBytes + 3072)];
        int at = 0;
        for (int r = 0; r < labels.length; r++) {
            if (labelBytes == 2) {
                bytes[at++] = (byte) (19 - labels[r] % 20);
            }
            bytes[at++] = (byte) labels[r];
            for (int plane = 0; plane < 3; plane++) {
                for (int p = 0; p < 1024; p++) {
                    bytes[at++] = (byte) (plane * 100 + r + 1);
                }
            }
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
