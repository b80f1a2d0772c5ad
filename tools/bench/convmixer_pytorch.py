# xScore: PyTorch peer script of the trainer benchmark (tools/bench/convmixer_pytorch.py).
#
# Provenance: written for this project as the PyTorch side of `./xscore bench trainer`; it was kept beside the
# repository while the trainer was built and is now part of it (copied unchanged below this header). It is the
# project's own code, under the project's terms; it copies no third-party source.
#
# What it reproduces: one training step of ConvMixer (Trockman & Kolter, "Patches Are All You Need?",
# arXiv 2201.09792) exactly as the DJL trainer runs it in TrainerBenchmark's "model step": ConvMixer-256/8, depthwise
# kernel 5, patch 2, 10 classes (594,186 parameters, the count ConvMixerTest pins for the DJL model), FP32, one fixed
# random batch of 32 images at 32 px, cross-entropy with label smoothing 0.05, Adam at lr 1e-3; 5 warm-up and 30 timed
# steps, then 30 no-grad forward passes. PyTorch's default initialisation. It measures speed only, not accuracy.
#
# Run it with Debian's PyTorch (no pip, no GPU):
#   apt-get install python3-torch
#   /usr/bin/python3 tools/bench/convmixer_pytorch.py [threads=2] [resolution=32]
# It prints the parameter count, "torch <version> train <res>px: <N> img/s" and "eval <N> img/s".
# trainer-service's TrainerBenchmark (run by `./xscore bench trainer`) starts it with /usr/bin/python3, without
# LD_PRELOAD, alternating with its own model step, and prints both figures side by side (`--no-python` skips it,
# `--script PATH` runs another copy). Figures: BENCHMARKS.md, section "Trainer".
#
# Peer reference for the trainer benchmark: ConvMixer-256/8 (kernel 5, patch 2, 594,186 parameters) trained in PyTorch eager,
# FP32, batch 32, label smoothing 0.05, Adam. Usage: python3 convmixer_pytorch.py [threads=2] [resolution=32]
# Prints training and evaluation images/s. Runs with Debian python3-torch.
import time, sys, torch, torch.nn as nn
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
res = int(sys.argv[2]) if len(sys.argv) > 2 else 32
class Res(nn.Module):
    def __init__(s, f): super().__init__(); s.f = f
    def forward(s, x): return s.f(x) + x
def convmixer(dim=256, depth=8, k=5, p=2, n=10):
    return nn.Sequential(nn.Conv2d(3, dim, p, p), nn.GELU(), nn.BatchNorm2d(dim),
        *[nn.Sequential(Res(nn.Sequential(nn.Conv2d(dim, dim, k, groups=dim, padding=k//2), nn.GELU(), nn.BatchNorm2d(dim))),
                        nn.Conv2d(dim, dim, 1), nn.GELU(), nn.BatchNorm2d(dim)) for _ in range(depth)],
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(dim, n))
m = convmixer(); print("params", sum(p.numel() for p in m.parameters()))
opt = torch.optim.Adam(m.parameters(), 1e-3); lossf = nn.CrossEntropyLoss(label_smoothing=0.05)
x = torch.randn(32, 3, res, res); y = torch.randint(0, 10, (32,))
for i in range(5): opt.zero_grad(); lossf(m(x), y).backward(); opt.step()
t = time.time(); n = 30
for i in range(n): opt.zero_grad(); lossf(m(x), y).backward(); opt.step()
dt = time.time() - t; print(f"torch {torch.__version__} train {res}px: {n*32/dt:.1f} img/s")
m.eval()
with torch.no_grad():
    t = time.time()
    for i in range(30): m(x)
    print(f"eval {30*32/(time.time()-t):.1f} img/s")
