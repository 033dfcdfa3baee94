"""Reading Fashion-MNIST's gzipped IDX files, shared by the dataset tools in this folder. Standard library only."""
import gzip
import struct
import sys


def read_idx(path, magic):
    """The payload of an IDX file and its sizes: (pixels, n, h, w) for images (magic 0x803), (labels, n) for labels (0x801)."""
    raw = gzip.open(path).read()
    if struct.unpack(">I", raw[:4])[0] != magic:
        sys.exit(f"{path}: not an IDX file with magic {magic:#x}")
    if magic == 0x803:
        n, h, w = struct.unpack(">III", raw[4:16])
        return raw[16:], n, h, w
    (n,) = struct.unpack(">I", raw[4:8])
    return raw[8:], n
