"""What the camera scripts need from the system, looked up in test-tools.tsv (beside this file).

The table is the one list of everything outside Maven that camflow's tests start, with the Debian
package that brings each; ./camflow test installs from it. Here it turns "element not found" into
the package to install.
"""
import os
import shlex
import sys

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-tools.tsv")
INSTALL_HINT = "./camflow test installs everything test-tools.tsv names"


def packages(kind):
    """{name: Debian package} of the table's rows of this kind (command, gst-element, python-module)."""
    rows = {}
    with open(TABLE, encoding="utf-8") as table:
        for line in table:
            if not line.strip() or line.startswith("#"):
                continue
            columns = line.rstrip("\n").split("\t")
            if len(columns) >= 3 and columns[0] == kind:
                rows[columns[1]] = columns[2]
    return rows


def elements_of(launch):
    """The element names of a gst-launch description, each once, in order of appearance.

    A word is an element unless it is a property (name=value), caps (media/type,...) or a pad
    reference (name.); a chain may start in the middle of a '!'-segment, after the last property
    of the previous chain, so every word is looked at, not only the first of each segment.
    """
    names = []
    for word in shlex.split(launch.replace("!", " ").replace("(", " ").replace(")", " ")):
        if "=" in word or "/" in word or word.endswith("."):
            continue
        if word not in names:
            names.append(word)
    return names


def check_elements(script, launches, find):
    """True when every element of the launch lines exists (find: Gst.ElementFactory.find); else says
    on stderr which are missing and which Debian package brings each, and returns False."""
    known = packages("gst-element")
    missing = []
    for launch in launches:
        missing += [name for name in elements_of(launch) if name not in missing and find(name) is None]
    for name in missing:
        where = (f"Debian package {known[name]}" if name in known
                 else "no Debian package known: add a row to test-tools.tsv")
        print(f"{script}: GStreamer element {name} is missing ({where}); {INSTALL_HINT}",
              file=sys.stderr, flush=True)
    return not missing


def explain_gi_error(script, error):
    """Says on stderr that GStreamer's Python bindings cannot be loaded and which packages bring them."""
    needed = sorted(set(packages("python-module").values()))
    print(f"{script}: cannot load GStreamer's Python bindings with {sys.executable} ({error}): install the Debian "
          f"packages {' '.join(needed)} and run Debian's /usr/bin/python3; {INSTALL_HINT}",
          file=sys.stderr, flush=True)
