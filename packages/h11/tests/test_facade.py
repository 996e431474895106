"""``import h11`` gives this implementation: h11 0.16's names, our objects, a fitting version."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import h11
import h11._connection
import h11_connection
import h11_events
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

#: ``[n for n in dir(h11) if not n.startswith("_")]`` observed on PyPI h11 0.16.0.
H11_PUBLIC_NAMES = {
    "CLIENT", "CLOSED", "Connection", "ConnectionClosed", "DONE", "Data", "ERROR",
    "EndOfMessage", "Event", "IDLE", "InformationalResponse", "LocalProtocolError",
    "MIGHT_SWITCH_PROTOCOL", "MUST_CLOSE", "NEED_DATA", "PAUSED", "PRODUCT_ID",
    "ProtocolError", "RemoteProtocolError", "Request", "Response", "SEND_BODY",
    "SEND_RESPONSE", "SERVER", "SWITCHED_PROTOCOL",
}  # fmt: skip

#: What the h11 users this project is tested with declare (wheel METADATA, read from PyPI).
DEPENDENTS_REQUIRE = {
    "httpcore 1.0.9": ">=0.16",
    "wsproto 1.3.2": "<1,>=0.16.0",
    "uvicorn 0.54.0": ">=0.8",
    "hypercorn 0.18.0": "",
    "a pin on h11 0.16.0": "==0.16.0",
}


def test_public_names_are_exactly_h11s_plus_hookimpl() -> None:
    public = {name for name in dir(h11) if not name.startswith("_")}
    assert public == H11_PUBLIC_NAMES | {"hookimpl"}


def test_no_leftovers_in_the_namespace() -> None:
    for name in ("Any", "TYPE_CHECKING", "typing", "h11_connection", "annotations"):
        assert name not in dir(h11)
        assert not hasattr(h11, name)


@pytest.mark.parametrize("name", sorted(H11_PUBLIC_NAMES))
def test_every_object_is_h11_connections(name: str) -> None:
    assert getattr(h11, name) is getattr(h11_connection, name)


def test_product_id_names_this_implementation() -> None:
    assert f"python-h11-connection/{h11_connection.__version__}" == h11.PRODUCT_ID


def test_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from h11 import *", namespace)
    assert set(namespace) - {"__builtins__"} == H11_PUBLIC_NAMES | {"hookimpl"}


def test_hookimpl_is_the_parser_marker_and_loads_pluggy_only_when_asked() -> None:
    code = (
        "import sys, h11\n"
        "c = h11.Connection(h11.CLIENT)\n"
        "c.send(h11.Request(method='GET', target='/', headers=[('Host', 'a')]))\n"
        "before = 'pluggy' in sys.modules\n"
        "import h11_parser\n"
        "print(before, h11.hookimpl is h11_parser.hookimpl, 'pluggy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True"]


def test_unknown_attribute_is_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        h11.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_compat_module_for_uvicorn() -> None:
    from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

    assert DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == h11_connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
    assert h11._connection.Connection is h11.Connection


#: Private modules that released h11 users import, each name they take, and the user:
#: uvicorn at run time, wsproto for its annotations (``if TYPE_CHECKING:``).
PRIVATE_IMPORTS = {
    ("h11._connection", "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE"): "uvicorn (h11_impl.py)",
    ("h11._headers", "Headers"): "wsproto (utilities.py)",
}


@pytest.mark.parametrize(("module", "name"), sorted(PRIVATE_IMPORTS))
def test_private_imports_of_h11_users_resolve_to_ours(module: str, name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {module} import {name}", namespace)
    ours = getattr(h11_connection, name, None) or getattr(h11_events, name)
    assert namespace[name] is ours


def test_compat_module_for_wsproto() -> None:
    from h11._headers import Headers

    request = h11.Request(method="GET", target="/", headers=[("Host", "a"), ("Upgrade", "ws")])
    assert isinstance(request.headers, Headers)
    # wsproto's normed_header_dict iterates the headers as (name, value) byte pairs.
    assert list(request.headers) == [(b"host", b"a"), (b"upgrade", b"ws")]


def test_version_is_the_h11_api_with_the_facades_own_release_as_local_label() -> None:
    assert importlib.metadata.version("h11") == h11.__version__
    version = Version(h11.__version__)
    assert version.public == "0.16.0"
    assert version.local is not None
    label, release = version.local.split(".", 1)
    assert label == "sansio"
    assert len(Version(release).release) == 3


def test_siblings_are_required_by_compatible_ranges_holding_the_installed_ones() -> None:
    requires = [Requirement(line) for line in importlib.metadata.requires("h11") or []]
    assert sorted(r.name for r in requires) == ["h11-connection", "h11-events"]
    installed = {"h11-connection": h11_connection.__version__, "h11-events": h11_events.__version__}
    for requirement in requires:
        assert requirement.specifier.contains(installed[requirement.name])
        assert "==" not in str(requirement.specifier)
        # The next breaking version (next minor at 0.x, else next major) is excluded,
        # the next patch is not.
        major, minor, patch = Version(installed[requirement.name]).release
        breaking = f"{major}.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
        assert not requirement.specifier.contains(breaking)
        assert requirement.specifier.contains(f"{major}.{minor}.{patch + 1}")


@pytest.mark.parametrize("dependent", sorted(DEPENDENTS_REQUIRE))
def test_version_satisfies_what_dependents_require(dependent: str) -> None:
    assert Version(h11.__version__) in SpecifierSet(DEPENDENTS_REQUIRE[dependent])


def test_version_sorts_above_pypi_h11_0_16_0() -> None:
    """So ``pip install -U h11`` keeps it while 0.16.0 is PyPI's newest h11."""
    assert Version(h11.__version__) > Version("0.16.0")
    assert Version(h11.__version__) < Version("0.16.1")


def test_a_conversation_through_the_facade() -> None:
    client, server = h11.Connection(h11.CLIENT), h11.Connection(h11.SERVER)
    request = h11.Request(method="GET", target="/", headers=[("Host", "a")])
    server.receive_data(client.send(request) + client.send(h11.EndOfMessage()))
    assert server.next_event() == request
    assert type(server.next_event()) is h11.EndOfMessage
    assert server.next_event() is h11.NEED_DATA
