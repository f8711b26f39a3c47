# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type in docs/awx/ matches the modules' connection options.

docs/awx/credential_type_inputs.yml and credential_type_injectors.yml are for
pasting into the web UI; docs/awx/credential_type.yml creates the same type
with awx.awx.credential_type. awx.awx is not needed: the files are parsed as
YAML and the injector templates rendered with Jinja2, as the controller does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml

from jinja2 import StrictUndefined
from jinja2.exceptions import UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible.module_utils.basic import env_fallback

from ansible_collections.huawei.isales.plugins.module_utils._common import CONNECTION_ARGUMENT_SPEC

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))
AWX = os.path.join(ROOT, "docs", "awx")
NAME = "CC-iSales AK/SK"
CA_FILE = "/runner/env/tmpXYZ"
# The keys AWX accepts in an injector's "file": "template", or "template.<name>" (the schema of its injectors).
FILE_KEY = re.compile(r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$")

# Which credential input feeds which connection option, and how.
INPUT_FOR_OPTION = {"url": "url", "access_key": "access_key", "secret_key": "secret_key", "ca_path": "ca_cert",
                    "signed_headers": "signed_headers"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads Ansible's !unsafe tag as the plain string it marks."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load(name):
    with open(os.path.join(AWX, name)) as handle:
        return yaml.load(handle, Loader=_Loader)  # nosec - a SafeLoader subclass


INPUTS = load("credential_type_inputs.yml")
INJECTORS = load("credential_type_injectors.yml")
FIELDS = dict((field["id"], field) for field in INPUTS["fields"])


def env_var(option):
    fallback = CONNECTION_ARGUMENT_SPEC[option].get("fallback")
    assert fallback and fallback[0] is env_fallback, "%s has no env_fallback" % option
    return fallback[1][0]


def fallback_vars():
    """Every environment variable any connection option falls back to."""
    names = set()
    for spec in CONNECTION_ARGUMENT_SPEC.values():
        fallback = spec.get("fallback")
        if fallback and fallback[0] is env_fallback:
            names.update(fallback[1])
    return names


class _Reserved(object):
    """A name of AWX's reserved "tower" namespace that cannot be rendered itself."""

    def __init__(self, message):
        self.message = message

    def __str__(self):
        raise UndefinedError(self.message)


def tower_namespace(files):
    """The "tower" namespace as AWX builds it for these file injectors.

    A single unnamed "template" is written to a file whose path is tower.filename; named files
    "template.<name>" (the form for more than one file) are tower.filename.<name>, and then
    tower.filename itself is an error, as is tower.filename.<name> with the unnamed form.
    """
    tower = _Reserved("cannot reference the reserved tower namespace")
    if "template" in files:
        tower.filename = CA_FILE
    else:
        tower.filename = _Reserved("tower.filename needs an unnamed file injector (template)")
        for key in files:
            name = key.split(".", 1)[1]
            setattr(tower.filename, name, CA_FILE if name == "ca_cert" else "/runner/env/tmp_" + name)
    return tower


def render(template, files=None, **inputs):
    """An injector template rendered the way the controller does, for these input values (and these
    file injectors; by default those of credential_type_injectors.yml)."""
    values = dict((field_id, "") for field_id in FIELDS)
    values.update(inputs)
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    tower = tower_namespace(INJECTORS.get("file", {}) if files is None else files)
    return env.from_string(template).render(tower=tower, **values)


def playbook_task():
    plays = load("credential_type.yml")
    assert isinstance(plays, list) and len(plays) == 1
    tasks = plays[0]["tasks"]
    found = [task for task in tasks if "awx.awx.credential_type" in task]
    assert len(found) == 1, "credential_type.yml must call awx.awx.credential_type (FQCN) exactly once"
    return found[0]["awx.awx.credential_type"]


def test_fields_have_what_the_controller_needs():
    assert set(FIELDS) == {"url", "access_key", "secret_key", "ca_cert", "signed_headers"}
    for field in INPUTS["fields"]:
        assert field["type"] == "string", field["id"]
        assert field.get("label"), "%s has no label" % field["id"]
        assert field.get("help_text"), "%s has no help_text" % field["id"]
    assert len(INPUTS["fields"]) == len(FIELDS), "an input id is used twice"


def test_secret_flags():
    assert FIELDS["secret_key"].get("secret") is True
    for field_id in ("url", "access_key", "ca_cert", "signed_headers"):
        assert FIELDS[field_id].get("secret", False) is False, field_id
    assert FIELDS["ca_cert"].get("multiline") is True


def test_every_no_log_option_is_a_secret_input():
    for option, spec in CONNECTION_ARGUMENT_SPEC.items():
        if spec.get("no_log") and option in INPUT_FOR_OPTION:
            assert FIELDS[INPUT_FOR_OPTION[option]].get("secret") is True, option
        if spec.get("no_log"):
            assert option in INPUT_FOR_OPTION, "no_log option %s is not an input of the credential type" % option


def test_required_inputs_are_the_required_options():
    required = sorted(option for option, spec in CONNECTION_ARGUMENT_SPEC.items() if spec.get("required"))
    assert sorted(INPUTS["required"]) == sorted(INPUT_FOR_OPTION[option] for option in required)
    assert set(INPUTS["required"]) <= set(FIELDS)


def test_injected_env_vars_are_env_fallbacks():
    unknown = sorted(set(INJECTORS["env"]) - fallback_vars())
    assert not unknown, "injected variables no connection option reads: %s" % unknown


def test_every_required_option_is_injected():
    for option, spec in CONNECTION_ARGUMENT_SPEC.items():
        if spec.get("required"):
            assert env_var(option) in INJECTORS["env"], "%s (required) is not injected" % option


def test_env_injectors_carry_their_input():
    values = {"url": "https://isales.example.com:28443", "access_key": "AK1", "secret_key": "SK1"}
    for option in ("url", "access_key", "secret_key"):
        assert render(INJECTORS["env"][env_var(option)], **values) == values[option]


def test_ca_bundle_is_a_file_whose_path_is_injected():
    assert set(INJECTORS["file"]) == {"template.ca_cert"}
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    assert render(INJECTORS["file"]["template.ca_cert"], ca_cert=pem) == pem
    ca_var = env_var("ca_path")
    assert render(INJECTORS["env"][ca_var], ca_cert=pem) == CA_FILE
    # No CA bundle: an empty ISALES_CA_PATH, which the modules treat as "not set".
    assert render(INJECTORS["env"][ca_var], ca_cert="") == ""


def test_file_injectors_use_a_form_awx_accepts():
    keys = sorted(INJECTORS["file"])
    for key in keys:
        assert FILE_KEY.match(key), "AWX refuses the file injector %r" % key
    if "template" in keys:
        assert keys == ["template"], "an unnamed template cannot go with other files: name each template.<name>"


def test_env_injectors_reference_the_files_by_their_form():
    """With named files, only tower.filename.<name> renders (tower.filename alone fails, as in AWX)."""
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    for var, template in INJECTORS["env"].items():
        if "tower" in template:
            assert render(template, ca_cert=pem) == CA_FILE, var
    named = {"template.ca_cert": "{{ ca_cert }}"}
    with pytest.raises(UndefinedError):
        render("{{ tower.filename }}", files=named)
    with pytest.raises(UndefinedError):
        render("{{ tower.filename.ca_cert }}", files={"template": "{{ ca_cert }}"})
    with pytest.raises(UndefinedError):
        render("{{ tower.filename.other }}", files=named)
    assert render("{{ tower.filename.ca_cert }}", files=named) == CA_FILE
    assert render("{{ tower.filename }}", files={"template": "{{ ca_cert }}"}) == CA_FILE


@pytest.mark.parametrize("doc", ["README.md", os.path.join("docs", "docsite", "rst", "awx.rst")])
def test_docs_name_the_file_injector_as_the_credential_type_does(doc):
    with open(os.path.join(ROOT, doc)) as handle:
        text = handle.read()
    for key in INJECTORS["file"]:
        name = key.split(".", 1)[1]
        assert key in text, "%s does not name the file injector %s" % (doc, key)
        assert "{{ tower.filename.%s }}" % name in text, "%s does not reference the file %s" % (doc, key)
    if doc == "README.md":
        ca_var = env_var("ca_path")
        rows = [line for line in text.splitlines() if line.startswith("| `%s`" % ca_var)]
        assert len(rows) == 1, "README.md has no (or two) table rows for %s" % ca_var
        assert "{{ tower.filename.ca_cert }}" in rows[0], rows[0]


def test_templates_only_use_known_inputs():
    templates = list(INJECTORS["env"].values()) + list(INJECTORS["file"].values())
    for template in templates:
        render(template, url="u", access_key="a", secret_key="s", ca_cert="c", signed_headers="host")  # StrictUndefined raises


def test_playbook_creates_the_same_type():
    args = playbook_task()
    assert args["name"] == NAME
    assert args["kind"] == "cloud"
    assert args.get("state", "present") == "present"
    assert args["inputs"] == INPUTS, "credential_type.yml and credential_type_inputs.yml differ"
    assert args["injectors"] == INJECTORS, "credential_type.yml and credential_type_injectors.yml differ"


def test_playbook_injector_templates_are_unsafe():
    """Ansible must pass the templates to the controller as they are, not render them."""
    with open(os.path.join(AWX, "credential_type.yml")) as handle:
        text = handle.read()
    for line in text.splitlines():
        if "{{" in line or "{%" in line:
            assert "!unsafe" in line, "injector template without !unsafe: %s" % line.strip()


@pytest.mark.parametrize("name", ["credential_type_inputs.yml", "credential_type_injectors.yml"])
def test_ui_files_are_plain_yaml(name):
    """The web UI takes plain YAML: no Ansible tags."""
    with open(os.path.join(AWX, name)) as handle:
        assert yaml.safe_load(handle)


def test_empty_ca_path_means_public_cas(monkeypatch):
    """Without a CA bundle the credential injects ISALES_CA_PATH="": the modules must treat it as not set."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient

    monkeypatch.setenv("ISALES_URL", "https://isales.example.com:28443")
    monkeypatch.setenv("ISALES_ACCESS_KEY", "AK1")
    monkeypatch.setenv("ISALES_SECRET_KEY", "SK1")
    monkeypatch.setenv("ISALES_CA_PATH", render(INJECTORS["env"][env_var("ca_path")], ca_cert=""))
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    params = result.validated_parameters
    assert params["url"] == "https://isales.example.com:28443"
    client = IsalesClient(params["url"], params["access_key"], params["secret_key"], ca_path=params["ca_path"])
    assert client.verify, "an empty ca_path must keep TLS verification on, with the public CAs"
    assert client.verify != "", "an empty ca_path must not be used as a CA bundle path"


def validated_connection(monkeypatch, **env):
    """The connection options as a module would see them with only these environment variables set."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    monkeypatch.setenv("ISALES_URL", "https://isales.example.com:28443")
    monkeypatch.setenv("ISALES_ACCESS_KEY", "AK1")
    monkeypatch.setenv("ISALES_SECRET_KEY", "SK1")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({})
    assert not result.error_messages
    return result.validated_parameters


@pytest.mark.parametrize("field,expected", [
    ("content-length,content-type,host", ("content-length", "content-type", "host")),
    ("Host, Content-Type", ("content-type", "host")),
    ("", ("host",)),
])
def test_signed_headers_field_reaches_the_client(monkeypatch, field, expected):
    """The optional "Signed headers" field injects ISALES_SIGNED_HEADERS; left empty, the default (host)."""
    from ansible_collections.huawei.isales.plugins.module_utils._client import IsalesClient, signed_headers_problem

    assert FIELDS["signed_headers"]["type"] == "string" and "signed_headers" not in INPUTS["required"]
    injected = render(INJECTORS["env"][env_var("signed_headers")], signed_headers=field)
    assert injected == field
    params = validated_connection(monkeypatch, ISALES_SIGNED_HEADERS=injected)
    assert signed_headers_problem(params["signed_headers"]) is None
    client = IsalesClient(params["url"], params["access_key"], params["secret_key"],
                          signed_headers=params["signed_headers"])
    assert client.signed_headers == expected
