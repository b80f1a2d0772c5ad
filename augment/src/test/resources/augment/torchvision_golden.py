# Regenerates torchvision-golden.txt, the reference outputs of AugmentationOpsTest, with Debian's python3-torchvision
# (0.14): /usr/bin/python3 torchvision_golden.py > torchvision-golden.txt
# Each line: NAME MAGNITUDE H W v0 v1 ... (uint8 CHW). The first line (SRC) is the input of every op.
import torch
import torchvision.transforms.functional as F
from torchvision.transforms import autoaugment as A, InterpolationMode

g = torch.Generator().manual_seed(7)
img = torch.randint(0, 256, (3, 9, 12), generator=g, dtype=torch.uint8)
img[:, 3:6, 4:8] = 200  # a flat patch so that equalize/autocontrast see repeated values


def line(name, m, t):
    print(name, m, t.shape[1], t.shape[2], " ".join(str(int(v)) for v in t.flatten().tolist()))


line("SRC", 0, img)
names = {"SHEAR_X": "ShearX", "SHEAR_Y": "ShearY", "TRANSLATE_X": "TranslateX", "TRANSLATE_Y": "TranslateY",
         "ROTATE": "Rotate", "BRIGHTNESS": "Brightness", "COLOR": "Color", "CONTRAST": "Contrast",
         "SHARPNESS": "Sharpness", "POSTERIZE": "Posterize", "SOLARIZE": "Solarize", "AUTO_CONTRAST": "AutoContrast",
         "EQUALIZE": "Equalize"}
cases = [("SHEAR_X", 0.3), ("SHEAR_X", -0.1), ("SHEAR_Y", 0.3), ("SHEAR_Y", -0.1), ("TRANSLATE_X", 3.9),
         ("TRANSLATE_X", -2.0), ("TRANSLATE_Y", 2.5), ("TRANSLATE_Y", -3.0), ("ROTATE", 10.0), ("ROTATE", -30.0),
         ("BRIGHTNESS", 0.3), ("BRIGHTNESS", -0.3), ("COLOR", 0.3), ("COLOR", -0.3), ("CONTRAST", 0.3),
         ("CONTRAST", -0.3), ("SHARPNESS", 0.3), ("SHARPNESS", -0.3), ("POSTERIZE", 7), ("POSTERIZE", 4),
         ("SOLARIZE", 170.0), ("AUTO_CONTRAST", 0.0), ("EQUALIZE", 0.0)]
for k, m in cases:
    line(k, m, A._apply_op(img.clone(), names[k], float(m), InterpolationMode.NEAREST, None))
for h in (0.2, -0.15, 0.5):
    line("HUE", h, F.adjust_hue(img, h))
