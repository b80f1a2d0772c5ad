# Regenerates corruption-golden.txt, the expected outputs of CorruptionGoldenTest, with Debian 12's python3-numpy
# (numpy 1.24.2) and python3-pil (Pillow 9.4.0):
#   cd augment/src/test/resources/golden && /usr/bin/python3 make_corruption_golden.py > corruption-golden.txt
#
# The deterministic common corruptions of Hendrycks & Dietterich (ICLR 2019) as written in hendrycks/robustness
# (ImageNet-C/imagenet_c/imagenet_c/corruptions.py, ImageNet-C/create_c/make_cifar_c.py), with the parameters of both
# files. scikit-image and OpenCV are not installed here, so the three helpers the reference takes from them are written
# out in numpy below, following their documented semantics: skimage.color.rgb2hsv/hsv2rgb, cv2.GaussianBlur (used by
# disk()) and cv2.filter2D, both with OpenCV's default border BORDER_REFLECT_101 (np.pad mode="reflect" is the same
# thing: dcb|abcd|cba). Pixelate and JPEG use Pillow itself (Image.BOX resize; JPEG save at quality q and reopen),
# as the reference does. Every float result is np.uint8(np.clip(x, 0, 1) * 255), truncation, as the reference's
# make_*_c.py scripts store it.
#
# Lines: "image NAME H W PIXELS" defines an input; "CORRUPTION NAME SCALE SEVERITY PIXELS" is that corruption of it
# with the parameters of SCALE (cifar or imagenet). PIXELS: 8-bit RGB HWC bytes, each minus the same channel of its
# left neighbour (mod 256; the first pixel of a row as is), zlib-compressed, base64-encoded.
# Inputs are synthetic and deterministic (gradients, checkerboards, blocks, numpy.random.default_rng(15) noise).
import base64
import io
import zlib

import numpy as np
import PIL
from PIL import Image

PARAMS = {
    "brightness": {"imagenet": [.1, .2, .3, .4, .5], "cifar": [.05, .1, .15, .2, .3]},
    "contrast": {"imagenet": [.4, .3, .2, .1, .05], "cifar": [.75, .5, .4, .3, .15]},
    "pixelate": {"imagenet": [.6, .5, .4, .3, .25], "cifar": [.95, .9, .85, .75, .65]},
    "jpeg_compression": {"imagenet": [25, 18, 15, 10, 7], "cifar": [80, 65, 58, 50, 40]},
    "defocus_blur": {"imagenet": [(3, .1), (4, .5), (6, .5), (8, .5), (10, .5)],
                     "cifar": [(.3, .4), (.4, .5), (.5, .6), (1, .2), (1.5, .1)]},
}


# ---- skimage.color.rgb2hsv / hsv2rgb, as written in scikit-image
def rgb2hsv(rgb):
    out = np.empty_like(rgb)
    out_v = rgb.max(-1)
    delta = rgb.ptp(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out_s = delta / out_v
        out_s[delta == 0.] = 0.
        idx = rgb[..., 0] == out_v  # red is max
        out[idx, 0] = (rgb[idx, 1] - rgb[idx, 2]) / delta[idx]
        idx = rgb[..., 1] == out_v  # green is max
        out[idx, 0] = 2. + (rgb[idx, 2] - rgb[idx, 0]) / delta[idx]
        idx = rgb[..., 2] == out_v  # blue is max
        out[idx, 0] = 4. + (rgb[idx, 0] - rgb[idx, 1]) / delta[idx]
    out_h = (out[..., 0] / 6.) % 1.
    out_h[delta == 0.] = 0.
    out[..., 0] = out_h
    out[..., 1] = out_s
    out[..., 2] = out_v
    out[np.isnan(out)] = 0
    return out


def hsv2rgb(hsv):
    hi = np.floor(hsv[..., 0] * 6)
    f = hsv[..., 0] * 6 - hi
    p = hsv[..., 2] * (1 - hsv[..., 1])
    q = hsv[..., 2] * (1 - f * hsv[..., 1])
    t = hsv[..., 2] * (1 - (1 - f) * hsv[..., 1])
    v = hsv[..., 2]
    hi = np.stack([hi, hi, hi], axis=-1).astype(np.uint8) % 6
    return np.choose(hi, np.stack([np.stack((v, t, p), axis=-1), np.stack((q, v, p), axis=-1),
                                   np.stack((p, v, t), axis=-1), np.stack((p, q, v), axis=-1),
                                   np.stack((t, p, v), axis=-1), np.stack((v, p, q), axis=-1)]))


# ---- cv2.getGaussianKernel (sigma > 0), cv2.GaussianBlur and cv2.filter2D with BORDER_REFLECT_101
def gaussian_kernel(n, sigma):
    x = np.arange(n) - (n - 1) / 2.
    k = np.exp(-x * x / (2 * sigma * sigma))
    return k / k.sum()


def correlate2d_reflect101(img, kernel):
    kh, kw = kernel.shape
    padded = np.pad(img, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="reflect")
    out = np.zeros(img.shape, dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * padded[i:i + img.shape[0], j:j + img.shape[1]]
    return out


def gaussian_blur(img, ksize, sigma):
    g = gaussian_kernel(ksize, sigma)
    return correlate2d_reflect101(img, np.outer(g, g))


def disk(radius, alias_blur=0.1, dtype=np.float32):
    if radius <= 8:
        L = np.arange(-8, 8 + 1)
        ksize = 3
    else:
        L = np.arange(-radius, radius + 1)
        ksize = 5
    X, Y = np.meshgrid(L, L)
    aliased_disk = np.array((X ** 2 + Y ** 2) <= radius ** 2, dtype=dtype)
    aliased_disk /= np.sum(aliased_disk)
    return gaussian_blur(aliased_disk.astype(np.float64), ksize, alias_blur).astype(dtype)


# ---- the corruptions (x: PIL RGB image)
def brightness(x, c):
    x = np.array(x) / 255.
    x = rgb2hsv(x)
    x[:, :, 2] = np.clip(x[:, :, 2] + c, 0, 1)
    x = hsv2rgb(x)
    return np.clip(x, 0, 1) * 255


def contrast(x, c):
    x = np.array(x) / 255.
    means = np.mean(x, axis=(0, 1), keepdims=True)
    return np.clip((x - means) * c + means, 0, 1) * 255


def pixelate(x, c):
    w, h = x.size
    x = x.resize((int(w * c), int(h * c)), Image.BOX)
    return x.resize((w, h), Image.BOX)


def jpeg_compression(x, c):
    output = io.BytesIO()
    x.save(output, "JPEG", quality=c)
    return Image.open(output)


def defocus_blur(x, c):
    x = np.array(x) / 255.
    kernel = disk(radius=c[0], alias_blur=c[1]).astype(np.float64)
    channels = [correlate2d_reflect101(x[:, :, d], kernel) for d in range(3)]
    channels = np.array(channels).transpose((1, 2, 0))
    return np.clip(channels, 0, 1) * 255


FUNCS = {"brightness": brightness, "contrast": contrast, "pixelate": pixelate, "jpeg_compression": jpeg_compression,
         "defocus_blur": defocus_blur}


def enc(arr):
    # PNG's "Sub" filter before zlib (each byte minus the same channel of the pixel to its left, mod 256): gradients
    # compress far better
    a = np.ascontiguousarray(arr, dtype=np.uint8)
    d = a.copy()
    d[:, 1:] = a[:, 1:] - a[:, :-1]
    return base64.b64encode(zlib.compress(d.tobytes(), 9)).decode("ascii")


def images():
    rng = np.random.default_rng(15)
    out = {}
    yy, xx = np.mgrid[0:32, 0:32]
    ramp = np.stack([xx * 8, yy * 8, (xx + yy) * 4], axis=-1)
    ramp[0:4, 0:4] = 0        # black: V = 0, S undefined
    ramp[0:4, 4:8] = 255      # white
    ramp[4:8, 0:4] = 128      # grey: delta = 0
    ramp[4:8, 4:8] = [200, 200, 40]  # red = green = max: tie
    out["ramp32"] = np.clip(ramp, 0, 255).astype(np.uint8)
    out["noise32"] = rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:40, 0:48]
    smooth = np.stack([xx * 5, yy * 6, 255 - yy * 5], axis=-1) + 40 * (((xx // 4) + (yy // 4)) % 2)[..., None]
    out["mixed40x48"] = np.clip(np.rint(smooth), 0, 255).astype(np.uint8)
    yy, xx = np.mgrid[0:66, 0:72]
    smooth = np.stack([xx * 3, yy * 3, (xx + yy) * 1.5], axis=-1) + 30 * (((xx // 6) + (yy // 6)) % 2)[..., None]
    smooth[20:40, 30:50] = [250, 30, 30]  # a block with sharp edges
    out["mixed66x72"] = np.clip(np.rint(smooth), 0, 255).astype(np.uint8)
    return out


def main():
    print("# numpy %s, Pillow %s; see make_corruption_golden.py" % (np.__version__, PIL.__version__))
    for name, arr in images().items():
        h, w = arr.shape[:2]
        print("image %s %d %d %s" % (name, h, w, enc(arr)))
        scale = "cifar" if min(h, w) <= 64 else "imagenet"  # CorruptionScale's rule
        for corruption, func in FUNCS.items():
            for severity in (1, 3, 5):
                c = PARAMS[corruption][scale][severity - 1]
                result = np.uint8(func(Image.fromarray(arr, "RGB"), c))
                print("%s %s %s %d %s" % (corruption, name, scale, severity, enc(result)))


main()
