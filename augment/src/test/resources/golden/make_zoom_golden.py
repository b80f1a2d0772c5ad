# Regenerates zoom-golden.txt, the zoom_blur expectations of CorruptionGoldenTest, with numpy and scipy (written with
# numpy 2.4.6 and scipy 1.17.1):
#   cd augment/src/test/resources/golden && python3 make_zoom_golden.py > zoom-golden.txt
#
# zoom_blur as written in hendrycks/robustness (ImageNet-C/imagenet_c/imagenet_c/corruptions.py,
# ImageNet-C/create_c/make_cifar_c.py), with scipy.ndimage.zoom(order=1) itself, on the images of
# corruption-golden.txt (read back from that file, so both files share them). The reference's clipped_zoom crops a
# square of the first side on both axes (its images are square); here each axis uses its own side, which is the same
# thing on the square images and what the Java code does on the others. The output is
# np.uint8(np.clip(x, 0, 1) * 255), truncation, as the reference's make_*_c.py scripts store it.
import base64
import zlib

import numpy as np
import scipy
from scipy.ndimage import zoom as scizoom

# np.arange(1, stop, step) per severity, as in the two reference files
FACTORS = {
    "imagenet": [np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01), np.arange(1, 1.21, 0.02),
                 np.arange(1, 1.26, 0.02), np.arange(1, 1.31, 0.03)],
    "cifar": [np.arange(1, 1.06, 0.01), np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01),
              np.arange(1, 1.21, 0.01), np.arange(1, 1.26, 0.01)],
}


def clipped_zoom(img, zoom_factor):
    h, w = img.shape[:2]
    ch = int(np.ceil(h / zoom_factor))
    cw = int(np.ceil(w / zoom_factor))
    top = (h - ch) // 2
    left = (w - cw) // 2
    img = scizoom(img[top:top + ch, left:left + cw], (zoom_factor, zoom_factor, 1), order=1)
    trim_top = (img.shape[0] - h) // 2
    trim_left = (img.shape[1] - w) // 2
    return img[trim_top:trim_top + h, trim_left:trim_left + w]


def zoom_blur(x, c):
    x = (np.array(x) / 255.).astype(np.float32)
    out = np.zeros_like(x)
    for zoom_factor in c:
        out += clipped_zoom(x, zoom_factor)
    x = (x + out) / (len(c) + 1)
    return np.clip(x, 0, 1) * 255


def enc(arr):
    # as make_corruption_golden.py: PNG's "Sub" filter, zlib, base64
    a = np.ascontiguousarray(arr, dtype=np.uint8)
    d = a.copy()
    d[:, 1:] = a[:, 1:] - a[:, :-1]
    return base64.b64encode(zlib.compress(d.tobytes(), 9)).decode("ascii")


def dec(text, h, w):
    d = np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype=np.uint8).reshape(h, w, 3)
    return np.cumsum(d, axis=1, dtype=np.uint8)  # undoes the Sub filter mod 256


def main():
    print("# numpy %s, scipy %s; see make_zoom_golden.py" % (np.__version__, scipy.__version__))
    with open("corruption-golden.txt") as f:
        for line in f:
            field = line.split()
            if field[0] != "image":
                continue
            name, h, w = field[1], int(field[2]), int(field[3])
            arr = dec(field[4], h, w)
            scale = "cifar" if min(h, w) <= 64 else "imagenet"  # CorruptionScale's rule
            for severity in (1, 3, 5):
                result = np.uint8(zoom_blur(arr, FACTORS[scale][severity - 1]))
                print("zoom_blur %s %s %d %s" % (name, scale, severity, enc(result)))


main()
