"""Build the addon's README.rst and static/description/index.html from its
manifest and its readme/ fragments, as OCA's oca-gen-addon-readme does, with
plain Python and docutils (no network, no pandoc).

    $ODOO_PYTHON scripts/gen_readme.py            write both files
    $ODOO_PYTHON scripts/gen_readme.py --check    exit 1 when they are stale

The fragments are Markdown: headings, paragraphs, bullet and numbered lists
(nested by indentation), fenced code blocks, images, and inline code, bold,
italic and links. Anything else is kept as text.
"""

import argparse
import ast
import hashlib
import json
import os
import re
import sys
from pathlib import Path

from docutils.core import publish_string

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "l10n_nl_scan_herken"

# readme/ fragment -> section title, in the order OCA writes them.
SECTIONS = [
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]
# Underline characters: the title is over- and underlined with "=", the
# sections are underlined with "=", their subsections with "-" and "~".
SUB_UNDERLINES = "-~^"
LICENSES = {
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}
# The manifest keys the README shows.
MANIFEST_KEYS = ("name", "summary", "author", "website", "license", "development_status", "maintainers")
MATURITY_COLOURS = {"Alpha": "red", "Beta": "yellow", "Production/Stable": "green", "Mature": "brightgreen"}
# The stylesheet docutils embeds, plus a few rules that suit Odoo's app page.
EXTRA_CSS = """
body { max-width: 64em; margin: 0 auto; padding: 0 1em; font-family: sans-serif; line-height: 1.45; }
h1.title { font-size: 1.8em; }
pre.literal-block { background: #f4f4f4; padding: 0.6em; overflow-x: auto; }
img { max-width: 100%; height: auto; }
"""

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^(\s*)(\d+)[.)]\s+(.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$")
INLINE = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\*\*(?P<bold>[^*\s](?:.*?[^*\s])?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:.*?[^*\s])?)\*(?![\w*])"
    r"|(?<![\w])_(?P<em2>[^_\s](?:.*?[^_\s])?)_(?![\w])"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)\)",
    re.DOTALL,
)


# ---- Markdown to reStructuredText -------------------------------------------


def escape(text):
    """Plain text safe from reStructuredText's inline markup."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*`|])", r"\\\1", text)
    return re.sub(r"(\w)_(?=\W|$)", r"\1\\_", text)


def inline(text):
    """Inline Markdown (code, bold, italic, links) as reStructuredText."""
    out, last = [], 0
    for match in INLINE.finditer(text):
        out.append(escape(text[last : match.start()]))
        if match.group("code"):
            markup = "``" + match.group("code_text").strip() + "``"
        elif match.group("bold") is not None:
            markup = "**" + match.group("bold") + "**"
        elif match.group("em") is not None or match.group("em2") is not None:
            markup = "*" + (match.group("em") or match.group("em2")) + "*"
        else:
            label = match.group("link_text").replace("`", "").replace("<", "").replace(">", "")
            markup = f"`{label} <{match.group('link_url')}>`__"
        # Inline markup must not touch a letter or digit: join with an escaped space.
        if match.start() > 0 and text[match.start() - 1].isalnum():
            markup = "\\ " + markup
        if match.end() < len(text) and text[match.end()].isalnum():
            markup += "\\ "
        out.append(markup)
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def heading(title, char):
    title = inline(title)
    return [title, char * len(title), ""]


class Converter:
    """One fragment, line by line. Headings become subsections (or bold
    paragraphs where no section may start), lists keep their nesting."""

    def __init__(self, image_path, sections=True):
        self.image_path = image_path
        self.sections = sections
        self.out = []

    def convert(self, markdown):
        lines = markdown.expandtabs(4).splitlines()
        levels = sorted({len(m.group(1)) for m in map(HEADING.match, lines) if m})
        index = 0
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                index += 1
            elif FENCE.match(line):
                index = self.code_block(lines, index)
            elif match := HEADING.match(line):
                self.heading(match.group(2), levels.index(len(match.group(1))))
                index += 1
            elif BULLET.match(line) or NUMBERED.match(line):
                index = self.list_block(lines, index)
            elif match := IMAGE.match(line.strip()):
                self.image(match.group(1), match.group(2))
                index += 1
            else:
                index = self.paragraph(lines, index)
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n"

    def heading(self, title, depth):
        if self.sections:
            self.out += heading(title, SUB_UNDERLINES[min(depth, len(SUB_UNDERLINES) - 1)])
        else:
            self.out += ["**" + inline(title).replace("**", "") + "**", ""]

    def image(self, alt, src):
        self.out += [f".. figure:: {self.image_path(src)}", f"   :alt: {alt}", ""]

    def code_block(self, lines, index):
        fence = FENCE.match(lines[index]).group(1)
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index])
            index += 1
        self.out += ["::", ""] + [("   " + line).rstrip() for line in body] + [""]
        return index + 1

    def paragraph(self, lines, index, indent=""):
        text = []
        while index < len(lines) and lines[index].strip():
            line = lines[index]
            if text and (HEADING.match(line) or BULLET.match(line) or NUMBERED.match(line) or FENCE.match(line)):
                break
            text.append(line.strip())
            index += 1
        self.out += [indent + line for line in inline("\n".join(text)).split("\n")] + [""]
        return index

    def list_block(self, lines, index):
        """A list and its nested lists: an item runs until the next marker,
        and a marker indented deeper than its parent's starts a nested list."""
        items = []  # (indent of the marker, numbered, text lines)
        while index < len(lines):
            line = lines[index]
            match = BULLET.match(line) or NUMBERED.match(line)
            if match:
                items.append((len(match.group(1)), match.re is NUMBERED, [match.groups()[-1].strip()]))
            elif line.strip() and not HEADING.match(line) and not FENCE.match(line):
                if not line.startswith(" ") and not lines[index - 1].strip():
                    break  # a paragraph after the list
                items[-1][2].append(line.strip())
            elif not line.strip():
                following = next((x for x in lines[index + 1 :] if x.strip()), "")
                if not (BULLET.match(following) or NUMBERED.match(following) or following.startswith(" ")):
                    break
            else:
                break
            index += 1
        roots, stack = [], []
        for indent, numbered, text in items:
            node = {"indent": indent, "numbered": numbered, "text": text, "children": []}
            while stack and stack[-1]["indent"] >= indent:
                stack.pop()
            (stack[-1]["children"] if stack else roots).append(node)
            stack.append(node)
        self.render_items(roots, "")
        self.out.append("")
        return index

    def render_items(self, nodes, pad):
        for number, node in enumerate(nodes, start=1):
            marker = f"{number}." if node["numbered"] else "-"
            hang = " " * (len(marker) + 1)
            first, *more = inline("\n".join(node["text"])).split("\n")
            self.out.append(f"{pad}{marker} {first}")
            self.out += [f"{pad}{hang}{line}" for line in more]
            if node["children"]:
                self.out.append("")
                self.render_items(node["children"], pad + hang)
                self.out.append("")


# ---- the README -------------------------------------------------------------


def read_manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


def fragment(name):
    path = ADDON / "readme" / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def source_digest(manifest):
    """A digest of what the README is made of: the manifest keys it shows,
    the fragments and this script (a change to the manifest's data files
    leaves the README as it is)."""
    shown = {key: manifest.get(key) for key in MANIFEST_KEYS}
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True).encode())
    for path in [Path(__file__), *sorted((ADDON / "readme").glob("*"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def badges(manifest):
    lines, names = [], []
    status = manifest.get("development_status")
    if status:
        colour = MATURITY_COLOURS.get(status, "lightgrey")
        label = status.replace("/", "%2F").replace("-", "--")
        lines += [
            f".. |maturity| image:: https://img.shields.io/badge/maturity-{label}-{colour}.png",
            "    :target: https://odoo-community.org/page/development-status",
            f"    :alt: {status}",
        ]
        names.append("|maturity|")
    license_name = manifest.get("license")
    if license_name:
        lines += [
            f".. |license| image:: https://img.shields.io/badge/licence-{license_name.replace('-', '--')}-blue.png",
            f"    :target: {LICENSES.get(license_name, 'https://spdx.org/licenses/')}",
            f"    :alt: License: {license_name}",
        ]
        names.append("|license|")
    return [*lines, "", " ".join(names), ""] if names else []


def convert(markdown, output_dir, sections=True):
    readme_dir = ADDON / "readme"

    def image_path(src):
        if re.match(r"^[a-z]+://", src):
            return src
        return os.path.relpath((readme_dir / src).resolve(), output_dir).replace(os.sep, "/")

    return Converter(image_path, sections).convert(markdown)


def credits(manifest, output_dir):
    lines = heading("Credits", "=")
    lines += heading("Authors", "-")
    lines += [f"* {escape(author.strip())}" for author in manifest.get("author", "").split(",") if author.strip()]
    lines.append("")
    for name, title in (("CONTRIBUTORS.md", "Contributors"), ("CREDITS.md", "Other credits")):
        text = fragment(name)
        if text.strip():
            lines += heading(title, "-")
            lines += [*convert(text, output_dir).splitlines(), ""]
    maintainers = manifest.get("maintainers") or []
    if maintainers:
        lines += heading("Maintainers", "-")
        lines.append("This module is maintained by:")
        lines.append("")
        lines += [f"* `{login} <https://github.com/{login}>`__" for login in maintainers]
        lines.append("")
    website = manifest.get("website", "")
    if website:
        lines.append(
            f"This module is part of the `{escape(website.rstrip('/').split('/')[-1])} <{website}>`__ project."
        )
        lines.append("")
    return lines


def build_rst(output_dir, with_badges=False):
    """The README as reStructuredText, with images relative to output_dir.
    Badges are images on shields.io: off unless asked for, as the app page
    would fetch them from the internet."""
    manifest = read_manifest()
    name = escape(manifest["name"])
    bar = "=" * len(name)
    lines = [bar, name, bar, ""]
    lines += [
        "..",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "   !! This file is generated by scripts/gen_readme.py from readme/*.md !!",
        "   !! and __manifest__.py: changes made here will be overwritten.     !!",
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        f"   !! source digest: sha256:{source_digest(manifest)}",
        "",
    ]
    if with_badges:
        lines += badges(manifest)
    if manifest.get("summary"):
        lines += ["*" + escape(manifest["summary"].strip()) + "*", ""]
    lines += [*convert(fragment("DESCRIPTION.md"), output_dir, sections=False).splitlines(), ""]
    lines += ["**Table of contents**", "", ".. contents::", "   :local:", "   :depth: 2", ""]
    for filename, title in SECTIONS:
        text = fragment(filename)
        if text.strip():
            lines += heading(title, "=")
            lines += [*convert(text, output_dir).splitlines(), ""]
    website = manifest.get("website", "")
    if website.startswith("https://github.com/"):
        lines += heading("Bug Tracker", "=")
        lines += [
            f"Bugs are tracked on `GitHub Issues <{website.rstrip('/')}/issues>`__. In case of trouble, please",
            "check there if your issue has already been reported.",
            "",
        ]
    lines += credits(manifest, output_dir)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n"


def build_html(rst):
    """index.html for Odoo's app page; a docutils warning stops the build."""
    html = publish_string(
        rst,
        writer_name="html4css1",
        settings_overrides={
            "output_encoding": "unicode",
            "halt_level": 2,
            "report_level": 2,
            "embed_stylesheet": True,
            "input_encoding": "unicode",
            "_disable_config": True,
        },
    )
    # Odoo 17+ warns at install about an XML declaration in a module description.
    html = re.sub(r"\A<\?xml[^>]*\?>\s*", "", html)
    return html.replace("</style>", EXTRA_CSS + "</style>", 1)


def outputs(with_badges=False):
    readme = ADDON / "README.rst"
    index = ADDON / "static" / "description" / "index.html"
    rst_for_html = build_rst(index.parent, with_badges)
    return {readme: build_rst(ADDON, with_badges), index: build_html(rst_for_html)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Exit 1 when a generated file is not up to date.")
    parser.add_argument("--badges", action="store_true", help="Add maturity and licence badges (shields.io images).")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs(args.badges).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "is not up to date" if args.check else "written"
    for path in stale:
        sys.stdout.write(f"{path} {verb}\n")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
