"""Apache Jena 4.5 from Debian (``libapache-jena-java``), run through its command-line classes.

Debian ships only jars (no Fuseki, no wrapper scripts), so there is no writable Graph Store endpoint: data goes in
with the native bulk loader ``tdb2.tdbloader``, queries run with ``tdb2.tdbquery`` over the TDB2 database and
files are parsed with ``riotcmd.riot``. A JVM start costs about 1.5 s here, so :func:`run_many` runs a batch of
these command-line classes, unchanged, one after the other in one JVM (JenaRun.java, a single-file source
program; Debian's JRE module image includes the compiler that needs). It runs from a checkout of the project.

Work-around for a Debian packaging bug: jena-core.jar holds the shaded xerces classes under ``xerces/`` but
their message ``.properties`` under ``org/apache/jena/ext/xerces/``; without them every command dies at start-up
(``internal error at xerces.impl.dv.xs.XSSimpleTypeDecl.applyFacets1``). :func:`classpath` copies them to the
path the classes look up and puts that directory first on the classpath.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from recsys_kg.stores.process import StoreUnavailable, run

JARS_DIR = Path("/usr/share/java")
INSTALL_HINT = (
    "sudo apt-get install --no-install-recommends libapache-jena-java default-jre-headless"
    "   (or, as root: bash scripts/install-stores.sh)"
)
JARS = (
    "jena-cmds jena-arq jena-core jena-base jena-iri jena-tdb2 jena-tdb jena-dboe-base jena-dboe-index "
    "jena-dboe-storage jena-dboe-trans-data jena-dboe-transaction jena-shacl jena-shex jena-rdfconnection "
    "commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 dexx.collection gson guava "
    "httpclient httpclient-cache httpcore commons-logging jackson-core jackson-databind jackson-annotations "
    "jsonld-java jakarta.json-api protobuf thrift titanium-json-ld slf4j-api slf4j-simple"
).split()
SHADED = "org/apache/jena/ext/"
RUNNER = Path(__file__).with_name("JenaRun.java")


def java() -> str:
    found = shutil.which("java")
    if not found or not (JARS_DIR / "jena-cmds.jar").is_file():
        raise StoreUnavailable(f"Apache Jena (or Java) is not installed; install it with: {INSTALL_HINT}")
    return found


@cache
def classpath(work: Path) -> str:
    """The Jena classpath, led by a directory holding the xerces messages where the shaded classes look."""
    java()
    fix = work / "jena-xerces-fix"
    with zipfile.ZipFile(JARS_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(SHADED + "xerces/impl/") and name.endswith(".properties"):
                target = fix / name.removeprefix(SHADED)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(fix)] + [str(JARS_DIR / f"{jar}.jar") for jar in JARS if (JARS_DIR / f"{jar}.jar").is_file()])


JVM_OPTIONS = ("-Xmx1g", "-XX:+UseSerialGC")  # one GC thread: the data is small and the machine has 2 cores


def run_many(work: Path, commands: Sequence[tuple[Path, str, Sequence[str]]], timeout: float = 600.0) -> None:
    """Run ``(stdout file, main class, arguments)`` commands in order in one JVM; a failing command raises
    :class:`StoreFailed` naming it."""
    script = work / f"jena-commands-{len(list(work.glob('jena-commands-*')))}.tsv"
    lines = []
    for out, main_class, args in commands:
        fields = [str(out), main_class, *map(str, args)]
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"a tab or newline in a Jena command: {fields}")
        lines.append("\t".join(fields))
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run([java(), *JVM_OPTIONS, "-cp", classpath(work), str(RUNNER), str(script)], timeout=timeout)
