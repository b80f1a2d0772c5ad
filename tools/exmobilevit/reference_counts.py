"""Trainable parameter counts of ExMobileViT as published, from PyTorch modules that follow the authors' code.

Structure transcribed (not copied) from EmPasLab/ExMobileVIT at commit 9835cb2 (https://github.com/EmPasLab/ExMobileVIT),
models/basic_block.py and models/ExMobileViT_{576,640,928}.py, the code of Yang et al., arXiv 2309.01310; their
MobileViT blocks are the vit-pytorch MobileViT (4 heads of 8 dimensions, bias-free qkv, FFN 2d/4d/4d, no final
LayerNorm). einops' rearrange is replaced by reshape/permute with the same token order.

Run with a PyTorch installation (Debian's python3-torch is enough): /usr/bin/python3 tools/exmobilevit/reference_counts.py
The numbers it prints are the expected counts in trainer-service's ExMobileViTTest and ModelZooTest.
"""
import torch
import torch.nn as nn


def conv_1x1_bn(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 1, 1, 0, bias=False), nn.BatchNorm2d(o), nn.SiLU())


def conv_nxn_bn(i, o, k=3, stride=1):
    return nn.Sequential(nn.Conv2d(i, o, k, stride, 1, bias=False), nn.BatchNorm2d(o), nn.SiLU())


class Attention(nn.Module):
    def __init__(self, dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x):  # x: (b, p, n, d)
        b, p, n, _ = x.shape
        q, k, v = (t.reshape(b, p, n, self.heads, -1).transpose(2, 3) for t in self.to_qkv(x).chunk(3, dim=-1))
        out = torch.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1) @ v
        return self.to_out(out.transpose(2, 3).reshape(b, p, n, -1))


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim):
        super().__init__()
        self.layers = nn.ModuleList(nn.ModuleList([
            nn.Sequential(nn.LayerNorm(dim), Attention(dim, heads, dim_head)),
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, mlp_dim), nn.SiLU(), nn.Linear(mlp_dim, dim))])
            for _ in range(depth))

    def forward(self, x):
        for attn, ff in self.layers:
            x = attn(x) + x
            x = ff(x) + x
        return x


class MV2Block(nn.Module):
    def __init__(self, i, o, stride=1, expansion=4):
        super().__init__()
        h = i * expansion
        self.res = stride == 1 and i == o
        self.conv = nn.Sequential(
            nn.Conv2d(i, h, 1, 1, 0, bias=False), nn.BatchNorm2d(h), nn.SiLU(),
            nn.Conv2d(h, h, 3, stride, 1, groups=h, bias=False), nn.BatchNorm2d(h), nn.SiLU(),
            nn.Conv2d(h, o, 1, 1, 0, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        return x + self.conv(x) if self.res else self.conv(x)


class MobileViTBlock(nn.Module):
    def __init__(self, dim, depth, channel, mlp_dim, patch=2):
        super().__init__()
        self.p = patch
        self.conv1 = conv_nxn_bn(channel, channel)
        self.conv2 = conv_1x1_bn(channel, dim)
        self.transformer = Transformer(dim, depth, 4, 8, mlp_dim)
        self.conv3 = conv_1x1_bn(dim, channel)
        self.conv4 = conv_nxn_bn(2 * channel, channel)

    def forward(self, x):
        y = x
        x = self.conv2(self.conv1(x))
        b, d, h, w = x.shape
        p = self.p
        # 'b d (h ph) (w pw) -> b (ph pw) (h w) d'
        t = x.reshape(b, d, h // p, p, w // p, p).permute(0, 3, 5, 2, 4, 1).reshape(b, p * p, -1, d)
        t = self.transformer(t)
        x = t.reshape(b, p, p, h // p, w // p, d).permute(0, 5, 3, 1, 4, 2).reshape(b, d, h, w)
        return self.conv4(torch.cat((self.conv3(x), y), 1))


class ExMobileViT(nn.Module):
    """taps = (stage 3, stage 4, head) widths; the authors' pooling at 256 px."""

    def __init__(self, taps, num_classes, image=256):
        super().__init__()
        ch = [16, 32, 64, 64, 96, 96, 128, 128, 160, 160, 640]
        dims = [144, 192, 240]
        self.conv1 = conv_nxn_bn(3, ch[0], stride=2)
        self.mv2 = nn.ModuleList([MV2Block(ch[0], ch[1]), MV2Block(ch[1], ch[2], 2), MV2Block(ch[2], ch[3]),
                                  MV2Block(ch[2], ch[3]), MV2Block(ch[3], ch[4], 2), MV2Block(ch[5], ch[6], 2),
                                  MV2Block(ch[7], ch[8], 2)])
        self.mvit = nn.ModuleList([MobileViTBlock(dims[0], 2, ch[5], dims[0] * 2),
                                   MobileViTBlock(dims[1], 4, ch[7], dims[1] * 4),
                                   MobileViTBlock(dims[2], 3, ch[9], dims[2] * 4)])
        self.conv2_1 = conv_1x1_bn(ch[5], taps[0])
        self.conv2_2 = conv_1x1_bn(ch[7], taps[1])
        self.conv2 = conv_1x1_bn(ch[9], taps[2])
        self.pool = nn.AvgPool2d(image // 32, 1)
        self.pool25 = nn.AvgPool2d(25)
        self.pool9 = nn.AvgPool2d(9)
        self.fc = nn.Linear(sum(taps), num_classes, bias=False)

    def taps(self, x):
        x = self.mv2[0](self.conv1(x))
        x = self.mv2[3](self.mv2[2](self.mv2[1](x)))
        x = self.mvit[0](self.mv2[4](x))
        x1 = self.pool25(self.conv2_1(x)).flatten(1)
        x = self.mvit[1](self.mv2[5](x))
        x2 = self.pool9(self.conv2_2(x)).flatten(1)
        x = self.conv2(self.mvit[2](self.mv2[6](x)))
        x3 = self.pool(x).flatten(1)
        return x1, x2, x3

    def forward(self, x):
        return self.fc(torch.cat(self.taps(x), 1))


TAPS = {576: (32, 64, 480), 640: (32, 128, 480), 928: (128, 160, 640)}

if __name__ == "__main__":
    torch.manual_seed(0)
    for width, taps in TAPS.items():
        counts = []
        for classes in (7, 10, 67, 120):
            m = ExMobileViT(taps, classes)
            counts.append(f"{classes}: {sum(p.numel() for p in m.parameters() if p.requires_grad):,}")
        print(f"ExMobileViT-{width}", "; ".join(counts))
    m = ExMobileViT(TAPS[928], 10).eval()
    x = torch.randn(1, 3, 256, 256)
    print("logits at 256 px:", tuple(m(x).shape), "tap widths:", [t.shape[1] for t in m.taps(x)])
