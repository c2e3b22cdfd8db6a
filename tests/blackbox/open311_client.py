"""The PyPI `open311` client (1.1, the package the Open311 community published), made importable on Python 3.

Its code is Python 2: implicit relative imports, `Element.getchildren()` and a `str` POST body. We copy the
installed package into a scratch folder and apply exactly those mechanical fixes (what `2to3` would do),
leaving every request the client builds — paths, parameters, formats, parsing — as its authors wrote it."""
import importlib
import importlib.util
import pathlib
import shutil
import sys

FIXES = {
    "__init__.py": [("from open311 import Open311", "from .open311 import Open311")],
    "open311.py": [("from api import API", "from .api import API"),
                   ("from api.api import urlopen, urlencode", "from .api.api import urlopen, urlencode"),
                   ("data = urlopen(url_path, post_data).read()", "data = urlopen(url_path, post_data.encode('utf-8')).read()")],
    "api/__init__.py": [("from api import API", "from .api import API"),
                        ("from api import urlopen, urlencode", "from .api import urlopen, urlencode")],
    "api/api.py": [("from xml2dict import xml2dict", "from .xml2dict import xml2dict")],
    "api/xml2dict/__init__.py": [("from object_dict import object_dict", "from .object_dict import object_dict")],
    "api/xml2dict/xml2dict.py": [("from object_dict import object_dict", "from .object_dict import object_dict"),
                                 ("node.getchildren()", "list(node)")],
}


def load(scratch):
    spec = importlib.util.find_spec("open311")
    if spec is None:
        raise RuntimeError("пакет open311 не установлен: pip install -r tests/requirements.txt")
    source = pathlib.Path(spec.origin).parent
    target = pathlib.Path(scratch) / "open311_py3" / "open311"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "test_*.py"))
    for name, replacements in FIXES.items():
        path = target / name
        text = path.read_text()
        for old, new in replacements:
            if old not in text:
                raise RuntimeError(f"open311 {name}: нет строки «{old}» — версия пакета не та, что ожидалась (1.1)")
            text = text.replace(old, new)
        path.write_text(text)
    sys.path.insert(0, str(target.parent))
    for mod in [m for m in sys.modules if m == "open311" or m.startswith("open311.")]:
        del sys.modules[mod]
    return importlib.import_module("open311").Open311
