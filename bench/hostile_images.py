"""Peak memory and time per hostile image: what one request can cost the detectors.

    .venv/bin/python bench/hostile_images.py            # every case below, one subprocess each
    .venv/bin/python bench/hostile_images.py --cap-gib 4 thin-1000x10

Each case is decided by a fresh process (so peak RSS is that request's own)
against a rule needing every image detector, exhaustively, with the engine's
default limits.  The images are legal and tiny on disk:

* thin blank PNGs (about 100 bytes): before the face search capped its work
  image, 200x5 took 1.6 GB and 8 s, 1000x10 8.7 GB and 49 s, 3000x20 tried 10 GB;
* an animated GIF of 32 distinct 512x512 frames (22 s before frames analysed
  per request were budgeted): now refused, fail closed, naming the limit; and
  one of 16 distinct frames, the most the default budget lets through.

`--cap-gib` sets an address-space limit on each child (default 6 GiB) so a
regression cannot take the machine down; a child over it reports a failure.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    cap = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import jurist
    policy = jurist.Policy.from_sources({"b.policy": "deny subject:real_person subject:minor nudity:exposed attire:*\\n"})
    policy.decide({"country": "GB", "images": [sys.argv[3]]}, exhaustive=True)  # models loaded: not the case's cost
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    decision = policy.decide({"country": "GB", "images": [sys.argv[1]]}, exhaustive=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mib": peak / 1024, "growth_mib": (peak - baseline) / 1024,
                      "effect": decision.effect, "detectors": [[r.name, r.ok] for r in decision.detectors_run],
                      "unverified": sorted({r.unverified for r in decision.rules if r.unverified})}))
""")


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _gif(frames: int, side: int = 512) -> bytes:
    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).convert("P") for _ in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=40, loop=0)
    return buffer.getvalue()


CASES = {
    "thin-200x5": lambda: (_png(200, 5), "png"),
    "thin-1000x10": lambda: (_png(1000, 10), "png"),
    "thin-3000x20": lambda: (_png(3000, 20), "png"),
    "thin-12000x1": lambda: (_png(12000, 1), "png"),
    "gif-16-frames": lambda: (_gif(16), "gif"),
    "gif-32-frames": lambda: (_gif(32), "gif"),
}


def measure(names: list[str], cap_gib: float) -> dict[str, dict[str, Any] | str]:
    """Each case decided by a fresh child: its figures (`seconds`, `peak_mib`, `growth_mib`, `effect`,
    `unverified`, `bytes`), or why the child failed."""
    out: dict[str, dict[str, Any] | str] = {}
    with tempfile.TemporaryDirectory(prefix="jurist-hostile-") as tmp:
        warm = Path(tmp, "warm.png")
        Image.new("RGB", (64, 64), "grey").save(warm)
        for name in names:
            data, ext = CASES[name]()
            path = Path(tmp, f"{name}.{ext}")
            path.write_bytes(data)
            result = subprocess.run([sys.executable, "-c", CHILD, str(path), str(int(cap_gib * 2 ** 30)), str(warm)],
                                    capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
            if result.returncode != 0:
                out[name] = (result.stderr.strip().splitlines() or ["?"])[-1]
            else:
                out[name] = {**json.loads(result.stdout.strip().splitlines()[-1]), "bytes": len(data)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", choices=[[], *CASES], help="default: all")
    parser.add_argument("--cap-gib", type=float, default=6.0, help="address-space limit per child (GiB)")
    args = parser.parse_args()
    print(f"{'case':<16} {'bytes':>8} {'seconds':>8} {'peak MiB':>9} {'growth MiB':>11}  decision")
    for name, r in measure(args.cases or list(CASES), args.cap_gib).items():
        if isinstance(r, str):
            print(f"{name:<16} {len(CASES[name]()[0]):>8} {'-':>8} {'-':>9} {'-':>11}  FAILED: {r[:90]}")
            continue
        why = f" (...{r['unverified'][0][-70:]})" if r["unverified"] else ""
        print(f"{name:<16} {r['bytes']:>8} {r['seconds']:>8.2f} {r['peak_mib']:>9.0f} {r['growth_mib']:>11.0f}  "
              f"{r['effect']}{why}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
