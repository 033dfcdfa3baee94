"""Writes the TorchScript fixtures used by dev.hone.models tests.

Run with Debian's system interpreter (the one python3-torch installs into):

    /usr/bin/python3 src/test/resources/models/make_tiny_torchscript.py

It scripts a tiny conv net for 1x28x28 inputs twice: tiny-10.pt with 10 outputs (matches the tests'
class count) and tiny-7.pt with 7 outputs (for the wrong-head-size error). BatchNorm is included so the
tests can check that running statistics survive a save and load. Weights come from a fixed seed so the
files are reproducible; each is a few tens of KB. tiny-seg-3.pt is a tiny fully convolutional net that
returns 3 logits per pixel at the input's size, (N, 3, H, W), for the segmentation tests.
"""
import os

import torch
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1, stride=2, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


class TinySegNet(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.head = nn.Conv2d(8, classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.head(x)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    for classes in (10, 7):
        torch.manual_seed(42)
        net = TinyNet(classes).eval()
        scripted = torch.jit.script(net)
        out = scripted(torch.zeros(1, 1, 28, 28))
        assert out.shape == (1, classes), out.shape
        path = os.path.join(here, f"tiny-{classes}.pt")
        scripted.save(path)
        print(path, os.path.getsize(path), "bytes")
    torch.manual_seed(42)
    seg = torch.jit.script(TinySegNet(3).eval())
    assert seg(torch.zeros(1, 1, 32, 32)).shape == (1, 3, 32, 32)
    path = os.path.join(here, "tiny-seg-3.pt")
    seg.save(path)
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
