#!/usr/bin/env python3
"""Regenerates src/test/resources/decode/: small images and Pillow's reference decodes of them.

hone's ImageDecoderReferenceTest decodes each fixture and compares it with the reference PNG made
here by another decoder (Pillow, with ImageOps.exif_transpose for EXIF orientation and ImageCms
for ICC -> sRGB), so "decodes as viewers show it" is checked against an independent implementation.

Needs Debian's Pillow (apt-get install python3-pil) and, for the Adobe-RGB-compatible profile, the
TwelveMonkeys imageio-core jar in ~/.m2 (run `mvn -B dependency:resolve` first), or pass a profile:

    /usr/bin/python3 tools/make-decode-fixtures.py [path/to/AdobeRGB-compatible.icc]

The outputs are committed; CI never runs this script. manifest.txt lists, per fixture, its
reference and the largest per-channel difference the test allows.
"""
import glob
import io
import os
import struct
import sys
import zipfile
import zlib

from PIL import Image, ImageCms, ImageOps

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "decode")
W, H = 30, 20  # stored size: not square, so a wrong rotation changes the shape; not a multiple of 8


def base_rgb():
    """Smooth gradients plus an asymmetric marker: red block near the stored top-left corner."""
    img = Image.new("RGB", (W, H))
    px = img.load()
    for y in range(H):
        for x in range(W):
            px[x, y] = (40 + 6 * x, 30 + 9 * y, 200 - 3 * x - 2 * y)
    for y in range(2, 7):
        for x in range(2, 9):
            px[x, y] = (230, 40, 40)
    return img


def adobe_rgb_profile(argv):
    if len(argv) > 1:
        return open(argv[1], "rb").read()
    jars = glob.glob(os.path.expanduser(
        "~/.m2/repository/com/twelvemonkeys/imageio/imageio-core/*/imageio-core-*[0-9].jar"))
    if not jars:
        sys.exit("no imageio-core jar in ~/.m2: run `mvn -B dependency:resolve` or pass an ICC profile")
    with zipfile.ZipFile(sorted(jars)[-1]) as jar:
        return jar.read("profiles/ClayRGB1998.icc")


def save_reference(img, name):
    img.save(os.path.join(OUT, name + ".ref.png"))


def to_srgb(img, icc):
    src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    dst = ImageCms.createProfile("sRGB")
    return ImageCms.profileToProfile(img, src, dst, outputMode="RGB")


def png_16bit_rgb(path, rows):
    """Writes a 16-bit RGB PNG by hand (Pillow cannot write one): rows of (r, g, b) in [0, 65535]."""
    raw = b"".join(b"\x00" + b"".join(struct.pack(">HHH", *p) for p in row) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


def main(argv):
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    base = base_rgb()

    def add(name, tolerance, measure="max"):
        manifest.append(f"{name} {tolerance} {measure}")

    # EXIF orientations 1..8 on a JPEG; the reference is the file as Pillow shows it upright.
    for o in range(1, 9):
        name = f"orientation-{o}.jpg"
        exif = Image.Exif()
        exif[0x0112] = o
        base.save(os.path.join(OUT, name), quality=92, exif=exif.tobytes())
        save_reference(ImageOps.exif_transpose(Image.open(os.path.join(OUT, name))).convert("RGB"), name)
        add(name, 3)

    # TIFF with an Orientation tag (6: rotate 90 clockwise to show).
    name = "orientation-6.tif"
    # Pillow 9.4 reads such a TIFF through libtiff's RGBA interface, which already flips it, so
    # exif_transpose on the decoded file is no reference; the file is lossless, so the reference is
    # the written pixels turned as Orientation 6 says (what exif_transpose does to them).
    base.save(os.path.join(OUT, name), tiffinfo={0x0112: 6})
    save_reference(base.transpose(Image.Transpose.ROTATE_270), name)
    add(name, 0)

    # PNG with an eXIf chunk (orientation 5: transposed), which browsers and Pillow apply.
    name = "orientation-5.png"
    exif = Image.Exif()
    exif[0x0112] = 5
    base.save(os.path.join(OUT, name), exif=exif.tobytes())
    save_reference(ImageOps.exif_transpose(Image.open(os.path.join(OUT, name))).convert("RGB"), name)
    add(name, 0)

    # Lossless WebP with an EXIF chunk (orientation 6), which Pillow's exif_transpose applies.
    name = "orientation-6.webp"
    exif = Image.Exif()
    exif[0x0112] = 6
    base.save(os.path.join(OUT, name), lossless=True, exif=exif.tobytes())
    save_reference(ImageOps.exif_transpose(Image.open(os.path.join(OUT, name))).convert("RGB"), name)
    add(name, 0)

    # CMYK JPEG without a profile (Adobe APP14, inverted as Photoshop writes it).
    name = "cmyk.jpg"
    base.convert("CMYK").save(os.path.join(OUT, name), quality=92)
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    add(name, 3)

    # Adobe RGB (1998)-compatible ICC profile, as JPEG and as PNG: the reference converts to sRGB.
    icc = adobe_rgb_profile(argv)
    for name, opts in (("adobe-rgb.jpg", {"quality": 92}), ("adobe-rgb.png", {})):
        base.save(os.path.join(OUT, name), icc_profile=icc, **opts)
        decoded = Image.open(os.path.join(OUT, name))
        save_reference(to_srgb(decoded, decoded.info["icc_profile"]), name)
        add(name, 3 if name.endswith(".jpg") else 2)

    # Grey JPEG.
    name = "grey.jpg"
    base.convert("L").save(os.path.join(OUT, name), quality=92)
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    add(name, 2)

    # 16-bit grey PNG. Pillow's convert("L") clips 16-bit values, so the reference scales by hand
    # the exact 16-bit values Pillow decoded: round(v * 255 / 65535).
    name = "grey-16bit.png"
    grey16 = Image.new("I;16", (W, H))
    for y in range(H):
        for x in range(W):
            grey16.putpixel((x, y), (x * 2100 + y * 1500) % 65536)
    grey16.save(os.path.join(OUT, name))
    decoded = Image.open(os.path.join(OUT, name))
    ref = Image.new("L", (W, H))
    for y in range(H):
        for x in range(W):
            ref.putpixel((x, y), round(decoded.getpixel((x, y)) * 255 / 65535))
    save_reference(ref.convert("RGB"), name)
    add(name, 1)

    # 16-bit RGB PNG written by hand; Pillow decodes it to 8 bits by keeping the high byte.
    name = "rgb-16bit.png"
    rows = [[((x * 2200) % 65536, (y * 3300) % 65536, (x * y * 111) % 65536) for x in range(W)]
            for y in range(H)]
    png_16bit_rgb(os.path.join(OUT, name), rows)
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    add(name, 1)

    # 32-bit float (values in [0, 1]) and 32-bit integer (values in [0, 65535]) grey TIFFs, Pillow's "F" and "I"
    # modes: no bit depth gives their scale, so hone reads it from the range; the references scale by hand.
    for name, mode, value, to8 in (("grey-float.tif", "F", lambda x, y: (x * 8 + y * 5) / 400.0, lambda v: v * 255),
                                   ("grey-int32.tif", "I", lambda x, y: (x * 2100 + y * 1500) % 65536,
                                    lambda v: v * 255 / 65535)):
        img = Image.new(mode, (W, H))
        for y in range(H):
            for x in range(W):
                img.putpixel((x, y), value(x, y))
        img.save(os.path.join(OUT, name))
        decoded = Image.open(os.path.join(OUT, name))
        ref = Image.new("L", (W, H))
        for y in range(H):
            for x in range(W):
                ref.putpixel((x, y), round(to8(decoded.getpixel((x, y)))))
        save_reference(ref.convert("RGB"), name)
        add(name, 1)

    # Plain TIFF (LZW) and WebP, lossless and lossy.
    name = "rgb-lzw.tif"
    base.save(os.path.join(OUT, name), compression="tiff_lzw")
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    add(name, 0)
    name = "lossless.webp"
    base.save(os.path.join(OUT, name), lossless=True)
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    add(name, 0)
    name = "lossy.webp"
    base.save(os.path.join(OUT, name), quality=90)
    save_reference(Image.open(os.path.join(OUT, name)).convert("RGB"), name)
    # TwelveMonkeys' VP8 decoder replicates chroma where libwebp interpolates it ("fancy
    # upsampling"), so sharp colour edges differ by up to ~80 levels; the test bounds the mean.
    add(name, 6, "mean")

    with open(os.path.join(OUT, "manifest.txt"), "w") as f:
        f.write("# fixture allowed-difference max|mean (per channel, 0-255); reference: <fixture>.ref.png (made by "
                "tools/make-decode-fixtures.py with Pillow " + Image.__version__ + ")\n")
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main(sys.argv)
