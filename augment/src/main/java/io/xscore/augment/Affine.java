package io.xscore.augment;

/**
 * The geometric ops of RandAugment as torchvision applies them to tensors: {@code F.affine} / {@code F.rotate} with
 * nearest interpolation and fill 0, from {@code torchvision/transforms/functional.py}
 * ({@code _get_inverse_affine_matrix}, {@code affine}, {@code rotate}) and {@code functional_tensor.py}
 * ({@code _gen_affine_grid}, {@code _apply_grid_transform}: {@code grid_sample(mode="nearest",
 * padding_mode="zeros", align_corners=False)}), torchvision 0.14.
 *
 * <p>Coordinates are pixel centres relative to the image centre; the inverse matrix maps each output pixel to its
 * source, which is rounded half-to-even (nearbyint, as grid_sample's nearest mode) and read, or 0 outside.
 */
public final class Affine {

    private Affine() {
    }

    /**
     * {@code _get_inverse_affine_matrix(center, angle, translate, scale=1, shear)}, angles in degrees.
     *
     * @return the 2×3 inverse matrix, row major
     */
    static double[] inverseMatrix(double cx, double cy, double angle, double tx, double ty, double shearX,
                                  double shearY) {
        double rot = Math.toRadians(angle);
        double sx = Math.toRadians(shearX);
        double sy = Math.toRadians(shearY);
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] m = {d, -b, 0, -c, a, 0};
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
        return m;
    }

    /** Warps with an inverse matrix (nearest, fill 0). */
    static void warp(RgbImage img, double[] m) {
        int h = img.height();
        int w = img.width();
        int plane = img.plane();
        byte[] src = img.data().clone();
        byte[] dst = img.data();
        for (int y = 0; y < h; y++) {
            double yc = y - h * 0.5 + 0.5;
            for (int x = 0; x < w; x++) {
                double xc = x - w * 0.5 + 0.5;
                double px = m[0] * xc + m[1] * yc + m[2] + w * 0.5 - 0.5;
                double py = m[3] * xc + m[4] * yc + m[5] + h * 0.5 - 0.5;
                int ix = (int) Math.rint(px);
                int iy = (int) Math.rint(py);
                boolean inside = ix >= 0 && ix < w && iy >= 0 && iy < h;
                for (int c = 0; c < 3; c++) {
                    dst[c * plane + y * w + x] = inside ? src[c * plane + iy * w + ix] : 0;
                }
            }
        }
    }

    /** RandAugment's ShearX: {@code F.affine(shear=[degrees(atan(m)), 0], center=[0, 0])}. */
    public static void shearX(RgbImage img, double magnitude) {
        warp(img, inverseMatrix(-img.width() * 0.5, -img.height() * 0.5, 0, 0, 0,
                Math.toDegrees(Math.atan(magnitude)), 0));
    }

    /** RandAugment's ShearY: {@code F.affine(shear=[0, degrees(atan(m))], center=[0, 0])}. */
    public static void shearY(RgbImage img, double magnitude) {
        warp(img, inverseMatrix(-img.width() * 0.5, -img.height() * 0.5, 0, 0, 0, 0,
                Math.toDegrees(Math.atan(magnitude))));
    }

    /** {@code F.affine(translate=[dx, dy])} by whole pixels (RandAugment passes {@code int(magnitude)}). */
    public static void translate(RgbImage img, int dx, int dy) {
        warp(img, inverseMatrix(0, 0, 0, dx, dy, 0, 0));
    }

    /** {@code F.rotate(angle)} about the centre, counter-clockwise for positive angles (inverse matrix of −angle). */
    public static void rotate(RgbImage img, double degrees) {
        warp(img, inverseMatrix(0, 0, -degrees, 0, 0, 0, 0));
    }

    /** Horizontal mirror. */
    public static void flip(RgbImage img) {
        int w = img.width();
        byte[] d = img.data();
        for (int row = 0; row < 3 * img.height(); row++) {
            int base = row * w;
            for (int x = 0; x < w / 2; x++) {
                byte t = d[base + x];
                d[base + x] = d[base + w - 1 - x];
                d[base + w - 1 - x] = t;
            }
        }
    }
}
