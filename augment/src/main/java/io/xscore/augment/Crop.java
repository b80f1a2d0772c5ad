package io.xscore.augment;

/** A region of a source image: rows [top, top+height), columns [left, left+width). */
public record Crop(int top, int left, int height, int width) {

    public static Crop whole(int height, int width) {
        return new Crop(0, 0, height, width);
    }

    /** The largest centred square: with a resize to S×S this is torchvision's Resize(S) + CenterCrop(S). */
    public static Crop centreSquare(int height, int width) {
        int side = Math.min(height, width);
        return new Crop((height - side) / 2, (width - side) / 2, side, side);
    }
}
