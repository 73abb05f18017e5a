"""Hostile and unusual images: each is decoded correctly or refused with a readable reason."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pytest
import skimage.data
from PIL import Image

from jurist.engine.detectors import intake
from jurist.engine.detectors.intake import ImageRejected, load_image


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR declaring `width` x `height`, with a token IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b"")


def encode(array: np.ndarray, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return np.ascontiguousarray(skimage.data.astronaut())


def test_plain_png_round_trips(astronaut):
    image = load_image(encode(astronaut))
    assert image.pixels.dtype == np.uint8 and image.pixels.shape == (512, 512, 3)
    assert np.array_equal(image.pixels, astronaut)
    assert image.frames == 1 and image.later_frames == ()


@pytest.mark.parametrize("width,height", [(50_000, 50_000), (13_000, 10), (7_000, 7_000)])
def test_absurd_sizes_are_refused_before_decoding(width, height):
    with pytest.raises(ImageRejected, match=r"(over the limit|decompression bomb)"):
        load_image(png_header_only(width, height))


def test_bomb_memory_stays_bounded(tmp_path):
    """A 50,000 x 50,000 PNG header under a 1 GiB address-space cap: refused, and peak memory barely moves."""
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(50_000, 50_000))
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from jurist.engine.detectors.intake import load_image, ImageRejected
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            load_image({str(path)!r})
        except ImageRejected as error:
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print("rejected", after - before, error)
            sys.exit(0)
        sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    growth_kib = int(result.stdout.split()[1])
    assert growth_kib < 20 * 1024, f"peak RSS grew by {growth_kib} KiB"


def test_empty_file_and_empty_bytes(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(ImageRejected, match="empty file"):
        load_image(path)
    with pytest.raises(ImageRejected, match="empty file"):
        load_image(b"")


def test_missing_file_is_a_readable_reason(tmp_path):
    with pytest.raises(ImageRejected, match="cannot read file"):
        load_image(tmp_path / "nope.png")


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.png"
    path.write_bytes(b"\0" * 5000)
    with pytest.raises(ImageRejected, match="over the 1,000-byte limit"):
        load_image(path)


@pytest.mark.parametrize("fmt,cut", [("JPEG", 5000), ("PNG", 50_000)])
def test_truncated_files_are_refused(astronaut, fmt, cut):
    data = encode(astronaut, fmt)
    with pytest.raises(ImageRejected, match="truncated"):
        load_image(data[:cut])


def test_extension_is_ignored_content_decides(tmp_path, astronaut):
    lying = tmp_path / "photo.jpg"
    lying.write_bytes(encode(astronaut, "PNG"))
    assert np.array_equal(load_image(lying).pixels, astronaut)
    text = tmp_path / "photo.png"
    text.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ImageRejected, match="not a supported image"):
        load_image(text)


def test_formats_outside_the_allow_list_are_not_parsed(astronaut):
    buffer = io.BytesIO()
    Image.fromarray(astronaut).save(buffer, format="PPM")
    with pytest.raises(ImageRejected, match="not a supported image"):
        load_image(buffer.getvalue())


def test_exif_orientation_is_applied(astronaut):
    wide = astronaut[:200]  # 512 wide, 200 high
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    image = load_image(encode(wide, "PNG", exif=exif))
    assert image.pixels.shape == (512, 200, 3)
    expected = np.asarray(Image.fromarray(wide).transpose(Image.Transpose.ROTATE_270))
    assert np.array_equal(image.pixels, expected)


def test_cmyk_jpeg(astronaut):
    data = io.BytesIO()
    Image.fromarray(astronaut).convert("CMYK").save(data, format="JPEG", quality=95)
    image = load_image(data.getvalue())
    assert image.pixels.shape == (512, 512, 3)
    assert np.abs(image.pixels.astype(int) - astronaut).mean() < 8


def test_palette_with_transparency(astronaut):
    paletted = Image.fromarray(astronaut).quantize(64)
    data = io.BytesIO()
    paletted.save(data, format="PNG", transparency=0)
    image = load_image(data.getvalue())
    assert np.array_equal(image.pixels, np.asarray(paletted.convert("RGB")))


def test_sixteen_bit_grey_is_scaled_not_clipped():
    samples = np.array([[0, 257 * 128, 65535]], dtype=np.uint16).repeat(4, axis=0)
    data = io.BytesIO()
    Image.fromarray(samples).save(data, format="PNG")
    image = load_image(data.getvalue())
    assert image.pixels[0, :, 0].tolist() == [0, 128, 255]


def test_alpha_is_dropped_so_hidden_pixels_are_checked(astronaut):
    rgba = np.dstack([astronaut, np.zeros((512, 512), np.uint8)])  # fully transparent
    image = load_image(encode(rgba))
    assert np.array_equal(image.pixels, astronaut)


def test_float_images_are_refused():
    data = io.BytesIO()
    Image.fromarray(np.ones((8, 8), np.float32)).save(data, format="TIFF")
    with pytest.raises(ImageRejected, match="floating-point"):
        load_image(data.getvalue())


def _gif(frames: list[np.ndarray]) -> bytes:
    data = io.BytesIO()
    images = [Image.fromarray(f) for f in frames]
    images[0].save(data, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return data.getvalue()


def test_animated_every_distinct_frame_is_kept():
    red, blue = np.zeros((20, 30, 3), np.uint8), np.zeros((20, 30, 3), np.uint8)
    red[..., 0], blue[..., 2] = 255, 255
    image = load_image(_gif([red, blue, red, blue]))
    assert image.frames == 4
    assert len(image.every_frame) == 2  # duplicates dropped
    assert image.every_frame[1][0, 0].tolist() == [0, 0, 255]


def test_bundled_animated_gif():
    path = f"{skimage.data.__path__[0]}/no_time_for_that_tiny.gif"
    image = load_image(path)
    assert image.frames == 24 and len(image.every_frame) > 1


def test_too_many_frames_are_refused():
    frames = [np.full((4, 4, 3), i * 7, np.uint8) for i in range(intake.MAX_FRAMES + 2)]
    with pytest.raises(ImageRejected, match=f"more than {intake.MAX_FRAMES} frames"):
        load_image(_gif(frames))


def test_frames_over_the_total_pixel_budget_are_refused(monkeypatch):
    monkeypatch.setattr(intake, "MAX_TOTAL_PIXELS", 20 * 30 * 2)
    frames = [np.full((20, 30, 3), i * 40, np.uint8) for i in range(3)]
    with pytest.raises(ImageRejected, match="pixel limit for all frames"):
        load_image(_gif(frames))


def test_pages_of_different_sizes_are_refused():
    data = io.BytesIO()
    first = Image.new("RGB", (10, 10))
    first.save(data, format="TIFF", save_all=True, append_images=[Image.new("RGB", (20, 10))])
    with pytest.raises(ImageRejected, match="pages of different sizes"):
        load_image(data.getvalue())


def _peak_rss_growth_kib(path, call: str = "load_image") -> tuple[int, str]:
    """Load `path` in a fresh interpreter; the growth of its peak RSS and the refusal's text."""
    script = textwrap.dedent(f"""
        import resource, sys
        from jurist.engine.detectors.intake import load_image, load_images, ImageRejected
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            {call}({str(path)!r})
        except ImageRejected as error:
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(after - before, error)
            sys.exit(0)
        sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    growth, _, reason = result.stdout.partition(" ")
    return int(growth), reason


def test_huge_later_tiff_page_is_refused_before_decoding(tmp_path):
    """A 64 x 64 first page hides a 13,000 x 13,000 second one (~0.9 MB deflated, 507 MB decoded)."""
    path = tmp_path / "pages.tif"
    Image.new("RGB", (64, 64)).save(path, format="TIFF", save_all=True, compression="tiff_adobe_deflate",
                                    append_images=[Image.new("RGB", (13_000, 13_000))])
    growth_kib, reason = _peak_rss_growth_kib(path)
    assert "frame 2 is 13000x13000" in reason and "refused before decoding" in reason
    assert growth_kib < 20 * 1024, f"peak RSS grew by {growth_kib} KiB"


def test_request_image_count_is_limited_before_reading(tmp_path):
    missing = [str(tmp_path / f"{i}.png") for i in range(intake.MAX_IMAGES + 1)]
    with pytest.raises(ImageRejected, match=f"request has {intake.MAX_IMAGES + 1} images, over the limit "
                                            f"of {intake.MAX_IMAGES} images per request"):
        intake.load_images(missing)


def test_request_pixel_budget_is_checked_before_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_REQUEST_PIXELS", 2 * 100 * 100)
    decoded: list[str] = []
    to_rgb = intake._to_rgb
    monkeypatch.setattr(intake, "_to_rgb", lambda frame, label: decoded.append(label) or to_rgb(frame, label))
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"{i}.png")
        paths[-1].write_bytes(encode(np.full((100, 100, 3), i, np.uint8)))
    assert len(intake.load_images(paths[:2])) == 2
    decoded.clear()
    with pytest.raises(ImageRejected, match=r"2\.png: decoding it would take the request's images over "
                                            r"the 20,000-pixel limit for all images of one request"):
        intake.load_images(paths)
    assert len(decoded) == 2  # the third image was never decoded


def test_request_pixel_budget_counts_every_frame(monkeypatch):
    monkeypatch.setattr(intake, "MAX_REQUEST_PIXELS", 3 * 20 * 30)
    frames = [np.full((20, 30, 3), i * 40, np.uint8) for i in range(2)]
    with pytest.raises(ImageRejected, match="limit for all images of one request"):
        intake.load_images([_gif(frames), _gif(frames[::-1])])


def test_a_source_named_twice_is_decoded_once(tmp_path, monkeypatch, astronaut):
    monkeypatch.setattr(intake, "MAX_REQUEST_PIXELS", 512 * 512)
    path = tmp_path / "a.png"
    path.write_bytes(encode(astronaut))
    images = intake.load_images([path, str(path), tmp_path / "." / "a.png"])
    assert len(images) == 3 and images[0] is images[1] is images[2]
    data = encode(astronaut)
    first, second = intake.load_images([data, bytes(data)])
    assert first is second


def test_a_request_over_the_image_limit_is_denied_naming_the_limit(tmp_path, astronaut):
    import jurist

    path = tmp_path / "a.png"
    path.write_bytes(encode(astronaut))
    p = jurist.Policy.from_sources({"a.policy": "rule real: deny attire:bikini subject:real_person\n"})
    d = p.decide({"country": "FR", "action": "edit", "images": [str(path)] * (intake.MAX_IMAGES + 1)})
    assert d.effect == "deny" and d.rules[0].unverified
    assert f"over the limit of {intake.MAX_IMAGES} images per request" in d.rules[0].unverified


def _noise_gif(frames: int, side: int = 48, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    return _gif([rng.integers(0, 256, (side, side, 3), dtype=np.uint8) for _ in range(frames)])


def test_a_request_over_the_frame_budget_is_denied_naming_the_limit(tmp_path):
    """32 distinct 512x512 frames took 22 s: legal for one image, over what one request may have analysed."""
    import jurist

    path = tmp_path / "long.gif"
    path.write_bytes(_noise_gif(32))
    p = jurist.Policy.from_sources({"a.policy": "rule real: deny subject:real_person\n"})
    d = p.decide({"country": "FR", "images": [str(path)]})
    assert d.effect == "deny" and d.rules[0].unverified
    assert (f"more than {intake.MAX_FRAMES_ANALYSED} distinct frames, over the limit of "
            f"{intake.MAX_FRAMES_ANALYSED} frames analysed per request") in d.rules[0].unverified
    assert [(r.name, r.ok) for r in d.detectors_run] == [("faces", False)]
    roomy = jurist.Policy.from_sources({"a.policy": "rule real: deny subject:real_person\n"},
                                       image_limits=jurist.engine.ImageLimits(max_frames=32))
    assert not any(r.unverified for r in roomy.decide({"country": "FR", "images": [str(path)]}).rules)


def test_the_frame_budget_is_per_request_and_counts_distinct_frames():
    ten, other_ten = _noise_gif(10, seed=1), _noise_gif(10, seed=2)
    assert len(intake.load_images([ten, ten])) == 2  # one image named twice is analysed once
    with pytest.raises(ImageRejected, match="over the limit of 16 frames analysed per request"):
        intake.load_images([ten, other_ten])
    red, blue = np.zeros((20, 30, 3), np.uint8), np.zeros((20, 30, 3), np.uint8)
    red[..., 0], blue[..., 2] = 255, 255
    assert len(intake.load_images([_gif([red, blue] * 15)])[0].every_frame) == 2
    with pytest.raises(ImageRejected, match="over the limit of 1 frames analysed per request"):
        intake.load_images([_gif([red, blue])], intake.ImageLimits(max_frames=1))


@pytest.mark.parametrize("field", ["max_images", "max_pixels", "max_frames"])
def test_image_limits_must_be_positive_whole_numbers(field):
    with pytest.raises(ValueError, match=f"{field} must be a positive whole number, got 0"):
        intake.ImageLimits(**{field: 0})
