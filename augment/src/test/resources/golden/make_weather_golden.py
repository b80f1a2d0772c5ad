# Regenerates weather-golden.txt, the motion blur, fog and snow expectations of CorruptionWeatherGoldenTest, with
# numpy and scipy (written with numpy 2.4.6 and scipy 1.17.1):
#   cd augment/src/test/resources/golden && python3 make_weather_golden.py > weather-golden.txt
#
# The formulas are written out from two public sources:
# - hendrycks/robustness (ImageNet-C/imagenet_c/imagenet_c/corruptions.py, ImageNet-C/create_c/make_cifar_c.py):
#   plasma_fractal (diamond-square, after FLHerne/mapgen's diamondsquare.py), fog, snow and clipped_zoom;
# - bethgelab/imagecorruptions (imagecorruptions/corruptions.py): the numpy motion blur (getMotionBlurKernel, shift,
#   _motion_blur) that replaces the reference's ImageMagick call, and snow's rounding of the blurred layer.
# The random parts are replaced by fixed inputs, so that only the deterministic arithmetic is compared: the motion
# blur angle is given; the fractal's uniforms are u_k = (k * 0.6180339887498949) % 1 in draw order; snow's normals are
# mean + sd * z_i with z_i = ((i * 37 % 101) / 100 - 0.5) * 3 (row-major) and its angle is given. clipped_zoom crops
# each axis by its own side (the reference's images are square), as make_zoom_golden.py. OpenCV's RGB2GRAY is written
# out in float32 (0.299 R + 0.587 G + 0.114 B) because cv2 is not installed. Outputs are np.uint8 of the clipped
# result (truncation), as the reference's scripts store them. The images are those of corruption-golden.txt.
import base64
import math
import zlib

import numpy as np
import scipy
from scipy.ndimage import zoom as scizoom

GOLDEN = 0.6180339887498949


class Sequence:
    """Stands in for np.random.uniform in plasma_fractal: low + (high - low) * u_k."""

    def __init__(self):
        self.k = 0

    def uniform(self, low, high, shape):
        n = int(np.prod(shape))
        u = np.array([(float(self.k + i) * GOLDEN) % 1.0 for i in range(n)]).reshape(shape)
        self.k += n
        return low + (high - low) * u


def plasma_fractal(mapsize, wibbledecay, seq):
    assert (mapsize & (mapsize - 1) == 0)
    maparray = np.empty((mapsize, mapsize), dtype=np.float64)
    maparray[0, 0] = 0
    stepsize = mapsize
    wibble = 100

    def wibbledmean(array):
        return array / 4 + wibble * seq.uniform(-wibble, wibble, array.shape)

    def fillsquares():
        cornerref = maparray[0:mapsize:stepsize, 0:mapsize:stepsize]
        squareaccum = cornerref + np.roll(cornerref, shift=-1, axis=0)
        squareaccum += np.roll(squareaccum, shift=-1, axis=1)
        maparray[stepsize // 2:mapsize:stepsize, stepsize // 2:mapsize:stepsize] = wibbledmean(squareaccum)

    def filldiamonds():
        mapsize_ = maparray.shape[0]
        drgrid = maparray[stepsize // 2:mapsize_:stepsize, stepsize // 2:mapsize_:stepsize]
        ulgrid = maparray[0:mapsize_:stepsize, 0:mapsize_:stepsize]
        ldrsum = drgrid + np.roll(drgrid, 1, axis=0)
        lulsum = ulgrid + np.roll(ulgrid, -1, axis=1)
        ltsum = ldrsum + lulsum
        maparray[0:mapsize_:stepsize, stepsize // 2:mapsize_:stepsize] = wibbledmean(ltsum)
        tdrsum = drgrid + np.roll(drgrid, 1, axis=1)
        tulsum = ulgrid + np.roll(ulgrid, -1, axis=0)
        ttsum = tdrsum + tulsum
        maparray[stepsize // 2:mapsize_:stepsize, 0:mapsize_:stepsize] = wibbledmean(ttsum)

    while stepsize >= 2:
        fillsquares()
        filldiamonds()
        stepsize //= 2
        wibble /= wibbledecay

    maparray -= maparray.min()
    return maparray / maparray.max()


def gauss_function(x, mean, sigma):
    return (np.exp(- (x - mean) ** 2 / (2 * (sigma ** 2)))) / (np.sqrt(2 * np.pi) * sigma)


def motion_kernel(width, sigma):
    k = gauss_function(np.arange(width), 0, sigma)
    return k / np.sum(k)


def shift(image, dx, dy):
    if dx < 0:
        shifted = np.roll(image, shift=image.shape[1] + dx, axis=1)
        shifted[:, dx:] = shifted[:, dx - 1:dx]
    elif dx > 0:
        shifted = np.roll(image, shift=dx, axis=1)
        shifted[:, :dx] = shifted[:, dx:dx + 1]
    else:
        shifted = image
    if dy < 0:
        shifted = np.roll(shifted, shift=image.shape[0] + dy, axis=0)
        shifted[dy:, :] = shifted[dy - 1:dy, :]
    elif dy > 0:
        shifted = np.roll(shifted, shift=dy, axis=0)
        shifted[:dy, :] = shifted[dy:dy + 1, :]
    return shifted


def motion_offsets(radius, angle):
    width = radius * 2 + 1
    point = (width * np.sin(np.deg2rad(angle)), width * np.cos(np.deg2rad(angle)))
    hypot = math.hypot(point[0], point[1])
    return [(-math.ceil(((i * point[0]) / hypot) - 0.5), -math.ceil(((i * point[1]) / hypot) - 0.5))
            for i in range(width)]


def _motion_blur(x, radius, sigma, angle):
    width = radius * 2 + 1
    kernel = motion_kernel(width, sigma)
    blurred = np.zeros_like(x, dtype=np.float32)
    for i, (dy, dx) in enumerate(motion_offsets(radius, angle)):
        if np.abs(dy) >= x.shape[0] or np.abs(dx) >= x.shape[1]:
            break
        blurred = blurred + kernel[i] * shift(x, dx, dy)
    return blurred


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


FOG = {"imagenet": [(1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4)],
       "cifar": [(.2, 3), (.5, 3), (.75, 2.5), (1, 2), (1.5, 1.75)]}
FOG_MAP = {"imagenet": 256, "cifar": 32}
SNOW = {"imagenet": [(0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
                     (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55)],
        "cifar": [(0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
                  (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8)]}


def fog(x, c, mapsize):
    x = np.array(x) / 255.
    max_val = x.max()
    h, w = x.shape[:2]
    x += c[0] * plasma_fractal(mapsize, c[1], Sequence())[:h, :w][..., np.newaxis]
    return np.clip(x * max_val / (max_val + c[0]), 0, 1) * 255


def snow(x, c, angle):
    x = np.array(x, dtype=np.float32) / 255.
    h, w = x.shape[:2]
    i = np.arange(h * w)
    z = ((i * 37 % 101) / 100 - 0.5) * 3
    snow_layer = (c[0] + c[1] * z).reshape(h, w)
    snow_layer = clipped_zoom(snow_layer[..., np.newaxis], c[2])
    snow_layer[snow_layer < c[3]] = 0
    snow_layer = np.clip(snow_layer.squeeze(), 0, 1)
    snow_layer = _motion_blur(snow_layer, radius=c[4], sigma=c[5], angle=angle)
    snow_layer = np.round(snow_layer * 255).astype(np.uint8) / 255.
    snow_layer = snow_layer[..., np.newaxis]
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    gray = r * np.float32(0.299) + g * np.float32(0.587) + b * np.float32(0.114)
    x = c[6] * x + (1 - c[6]) * np.maximum(x, gray.reshape(h, w, 1) * 1.5 + 0.5)
    return np.clip(x + snow_layer + np.rot90(snow_layer, k=2), 0, 1) * 255


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
    print("# numpy %s, scipy %s; see make_weather_golden.py" % (np.__version__, scipy.__version__))
    # kernel RADIUS SIGMA ANGLE then the weights (repr) and the (dy, dx) shifts of the port, as "dy,dx"
    for radius, sigma, angle in ((10, 3, 30.0), (9, 2.5, -41.25), (12, 12, -100.5)):
        k = motion_kernel(radius * 2 + 1, sigma)
        print("kernel %d %r %r %s %s" % (radius, sigma, angle, " ".join(repr(float(v)) for v in k),
                                         " ".join("%d,%d" % o for o in motion_offsets(radius, angle))))
    # plasma N DECAY then values at indices 0, 1, N+1, N*N/2 + 3, N*N - 1
    for n, decay in ((32, 1.75), (256, 1.4), (8, 3)):
        m = plasma_fractal(n, decay, Sequence()).ravel()
        print("plasma %d %r %s" % (n, decay, " ".join(repr(float(m[i])) for i in
                                                    (0, 1, n + 1, n * n // 2 + 3, n * n - 1))))
    with open("corruption-golden.txt") as f:
        images = [line.split() for line in f if line.startswith("image ")]
    for field in images:
        name, h, w = field[1], int(field[2]), int(field[3])
        arr = dec(field[4], h, w)
        scale = "cifar" if min(h, w) <= 64 else "imagenet"  # CorruptionScale's rule
        for radius, sigma, angle in ((6, 1.5, 12.5), (9, 2.5, -44.0), (20, 15, 37.0)):
            out = np.uint8(np.clip(_motion_blur(arr, radius, sigma, angle), 0, 255))
            print("motion_blur %s %d %r %r %s" % (name, radius, sigma, angle, enc(out)))
        for severity in (1, 3, 5):
            mapsize = max(FOG_MAP[scale], 1 << (max(h, w) - 1).bit_length())
            print("fog %s %s %d %s" % (name, scale, severity, enc(np.uint8(fog(arr, FOG[scale][severity - 1],
                                                                                 mapsize)))))
            angle = -135 + 22.5 * severity
            print("snow %s %s %d %r %s" % (name, scale, severity, angle,
                                           enc(np.uint8(snow(arr, SNOW[scale][severity - 1], angle)))))


main()
