"""`_headers` for hosts that read it (Netlify, Cloudflare Pages): the policy as HTTP headers.

A `<meta>` policy cannot say who may frame a page (`frame-ancestors`) and browsers ignore
`nosniff` and the permissions policy there; these headers carry them. Each page's
Content-Security-Policy is the one in its `<meta>` plus `frame-ancestors`: the embed may be
framed by any site (that is its job), every other page by none. GitHub Pages ignores the file.
"""

from __future__ import annotations

from collections.abc import Mapping

EVERY_FILE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
}
FRAMED_BY_ANYONE = frozenset({"embed.html"})


def frame_ancestors(page: str) -> str:
    return "frame-ancestors *" if page in FRAMED_BY_ANYONE else "frame-ancestors 'none'"


def _paths(page: str) -> tuple[str, ...]:
    """The addresses a host serves `page` at: `/x.html`, `/x` (pretty URLs), `/` for index;
    a folder of pages (`place/*`) by its pattern."""
    if page.endswith("/*"):
        return (f"/{page}",)
    stem = page.removesuffix(".html")
    return ("/", f"/{page}", f"/{stem}") if stem == "index" else (f"/{page}", f"/{stem}")


def headers_file(policies: Mapping[str, str]) -> bytes:
    """The `_headers` text: common headers for every file, then each page's policy.

    `policies` maps a page (`index.html`) to the Content-Security-Policy of its `<meta>`.
    """
    lines = ["/*", *(f"  {name}: {value}" for name, value in EVERY_FILE.items())]
    for page, policy in policies.items():
        for path in _paths(page):
            lines += [path, f"  Content-Security-Policy: {policy}; {frame_ancestors(page)}"]
    return ("\n".join(lines) + "\n").encode("ascii")
