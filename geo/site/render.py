"""The static edition's one Jinja environment: every page is a template in geo/site/templates.

Every value a template prints is escaped (autoescape, after geo.escape.template_value); a
name a template uses but is not given is an error (StrictUndefined), not an empty string.
Templates never mark text as safe: the only markup they receive is made in geo/escape.py
(tests/test_one_door.py holds both rules).
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from geo.escape import inline_script, inline_style, template_value

ENVIRONMENT = Environment(
    loader=PackageLoader("geo.site", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=template_value,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.globals.update(inline_script=inline_script, inline_style=inline_style)


def render(template: str, **values: object) -> str:
    """The text of `template` (a file in geo/site/templates) with `values`."""
    return ENVIRONMENT.get_template(template).render(**values)


def part(name: str, *args: object) -> str:
    """One macro of templates/parts.html, called with `args` (for tests and small pieces)."""
    return str(getattr(ENVIRONMENT.get_template("parts.html").module, name)(*args))
