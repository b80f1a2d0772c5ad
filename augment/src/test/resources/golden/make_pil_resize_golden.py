# Regenerates pil-resize-golden.txt, the reference outputs of PillowBicubicTest, with Debian 12's python3-pil (Pillow
# 9.4.0) and python3-torchvision (0.14.1):
#   cd augment/src/test/resources/golden && /usr/bin/python3 make_pil_resize_golden.py > pil-resize-golden.txt
# Lines: "image NAME H W CHANNELS PIXELS" defines an input; "resize NAME OUT_H OUT_W PIXELS" is
# Image.resize((OUT_W, OUT_H), Image.BICUBIC) of it; "lr0fm NAME N SIZE PIXELS" is torchvision's Resize(N, BICUBIC),
# Resize(SIZE, BICUBIC), CenterCrop(SIZE) of it (LR0.FM's resolution_transform). PIXELS: 8-bit HWC bytes,
# zlib-compressed, base64-encoded.
# The images are synthetic and deterministic: gradients, checkerboards, and noise from random.Random(15).
import base64
import random
import zlib

import PIL
from PIL import Image
import torchvision
from torchvision import transforms as T

rng = random.Random(15)


def image(mode, w, h, pixel):
    channels = 1 if mode == "L" else 3
    data = bytearray()
    for y in range(h):
        for x in range(w):
            v = pixel(x, y)
            data.extend([v] if channels == 1 else v)
    return Image.frombytes(mode, (w, h), bytes(data))


def noise(mode, w, h):
    n = 1 if mode == "L" else 3
    return Image.frombytes(mode, (w, h), bytes(rng.randrange(256) for _ in range(w * h * n)))


def enc(img):
    return base64.b64encode(zlib.compress(img.tobytes(), 9)).decode("ascii")


def define(name, src):
    w, h = src.size
    print("image", name, h, w, 1 if src.mode == "L" else 3, enc(src))
    return src


print("# Pillow", PIL.__version__, "torchvision", torchvision.__version__)
# a ramp in 4×4 blocks (so that the fixture compresses): horizontal in red, vertical in green, diagonal in blue
gradient = define("gradient", image("RGB", 224, 224, lambda x, y: (x // 4 * 4, y // 4 * 4, (x + y) // 8 * 4)))
checker1 = define("checker1", image("RGB", 224, 224, lambda x, y: (255, 0, 128) if (x + y) % 2 else (0, 255, 32)))
checker3 = define("checker3", image("L", 224, 224, lambda x, y: 250 if (x // 3 + y // 3) % 2 else 5))
grey_wide = define("grey_wide", image("L", 300, 224, lambda x, y: (x * 7 + y * 3) % 256))
noise32 = define("noise32", noise("RGB", 32, 32))
noise28 = define("noise28", noise("L", 28, 28))
noise100x60 = define("noise100x60", noise("RGB", 100, 60))
noise5 = define("noise5", noise("RGB", 5, 5))
noise45x32 = define("noise45x32", noise("RGB", 32, 45))

for name, src, (w, h) in [
    ("gradient", gradient, (16, 16)), ("gradient", gradient, (13, 7)), ("checker1", checker1, (16, 16)),
    ("checker1", checker1, (32, 32)), ("checker3", checker3, (64, 64)), ("checker3", checker3, (16, 16)),
    ("grey_wide", grey_wide, (21, 16)), ("noise32", noise32, (7, 7)), ("noise32", noise32, (32, 7)),
    ("noise28", noise28, (64, 64)), ("noise28", noise28, (17, 40)), ("noise100x60", noise100x60, (50, 30)),
    ("noise100x60", noise100x60, (37, 23)), ("noise100x60", noise100x60, (130, 78)),
    ("noise100x60", noise100x60, (100, 17)), ("noise5", noise5, (1, 1)), ("noise5", noise5, (12, 3)),
    ("noise45x32", noise45x32, (45, 33)),
]:
    print("resize", name, h, w, enc(src.resize((w, h), Image.BICUBIC)))

B = T.InterpolationMode.BICUBIC
for name, src, n, size in [
    ("grey_wide", grey_wide, 16, 224), ("noise100x60", noise100x60, 16, 64), ("noise100x60", noise100x60, 32, 48),
    ("noise45x32", noise45x32, 7, 32), ("noise45x32", noise45x32, 16, 29), ("checker1", checker1, 32, 40),
]:
    transform = T.Compose([T.Resize(n, interpolation=B), T.Resize(size, interpolation=B), T.CenterCrop(size)])
    print("lr0fm", name, n, size, enc(transform(src)))
