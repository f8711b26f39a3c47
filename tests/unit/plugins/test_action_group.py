# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module fits the collection's conventions.

* it is in the ``isales`` action group of meta/runtime.yml (so that
  ``module_defaults: group/huawei.isales.isales`` reaches it), and documents
  that membership;
* it extends the ``huawei.isales.connection`` doc fragment and its argument
  spec holds every connection option of CONNECTION_ARGUMENT_SPEC, unchanged;
* the doc fragment and CONNECTION_ARGUMENT_SPEC describe the same options
  (type, default, required, and the environment variable each falls back to).

The modules are found on disk, so a new module is checked without editing
this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import re

import pytest
import yaml

from ansible.module_utils import basic
from ansible.module_utils.basic import env_fallback

from ansible_collections.huawei.isales.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.huawei.isales.plugins.module_utils._common import CONNECTION_ARGUMENT_SPEC

COLLECTION = "huawei.isales"
GROUP = "isales"
FRAGMENT = "huawei.isales.connection"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))
MODULES_DIR = os.path.join(ROOT, "plugins", "modules")
RUNTIME = os.path.join(ROOT, "meta", "runtime.yml")


def module_names():
    names = []
    for entry in sorted(os.listdir(MODULES_DIR)):
        name, ext = os.path.splitext(entry)
        if ext == ".py" and not name.startswith("_"):
            names.append(name)
    return names


MODULES = module_names()


def load_runtime():
    with open(RUNTIME) as handle:
        return yaml.safe_load(handle) or {}


def import_module(name):
    return importlib.import_module("ansible_collections.huawei.isales.plugins.modules." + name)


def documentation(name):
    return yaml.safe_load(import_module(name).DOCUMENTATION)


def fragment_documentation(fragment):
    """The YAML of one of this collection's doc fragments, e.g. huawei.isales.attributes.vdn."""
    parts = fragment.split(".")
    assert parts[:2] == ["huawei", "isales"], "%s is not one of this collection's fragments" % fragment
    module = importlib.import_module("ansible_collections.huawei.isales.plugins.doc_fragments." + parts[2])
    variable = parts[3].upper() if len(parts) > 3 else "DOCUMENTATION"
    return yaml.safe_load(getattr(module.ModuleDocFragment, variable))


def merged_attributes(name):
    """A module's attributes as ansible-doc shows them: its own, plus those of the fragments it extends."""
    doc = documentation(name)
    fragments = doc.get("extends_documentation_fragment") or []
    if isinstance(fragments, str):
        fragments = [fragments]
    attributes = {}
    for fragment in fragments:
        attributes.update(fragment_documentation(fragment).get("attributes") or {})
    attributes.update(doc.get("attributes") or {})
    return attributes


class _Captured(Exception):
    def __init__(self, kwargs):
        super(_Captured, self).__init__("AnsibleModule() called")
        self.kwargs = kwargs


def argument_spec_of(name, monkeypatch):
    """The argument_spec the module hands to AnsibleModule, caught before it parses anything."""

    def capture(self, *args, **kwargs):
        if args:
            kwargs["argument_spec"] = args[0]
        raise _Captured(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "__init__", capture)
    with pytest.raises(_Captured) as info:
        import_module(name).main()
    return info.value.kwargs["argument_spec"]


def env_vars_of(option_spec):
    """The environment variables an argument spec entry falls back to."""
    fallback = option_spec.get("fallback")
    if not fallback:
        return []
    strategy, args = fallback[0], list(fallback[1:])
    assert strategy is env_fallback, "only env_fallback is used for connection options"
    names = []
    for arg in args:
        names.extend(arg if isinstance(arg, (list, tuple)) else [arg])
    return names


def documented_env_vars(option_doc):
    """E(NAME) markups in 'If not set, the value of the E(NAME) environment variable is used.'"""
    found = []
    for line in option_doc.get("description", []):
        found.extend(re.findall(r"the value of the E\(([A-Z0-9_]+)\) environment variable is used", line))
    return found


FRAGMENT_DOC = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)


def test_there_are_modules():
    assert MODULES, "no modules found in %s" % MODULES_DIR


def test_action_group_lists_every_module():
    groups = load_runtime().get("action_groups") or {}
    assert GROUP in groups, "meta/runtime.yml has no action group %r" % GROUP
    members = groups[GROUP]
    missing = [name for name in MODULES if name not in members and "%s.%s" % (COLLECTION, name) not in members]
    assert not missing, "modules missing from the %r action group in meta/runtime.yml: %s" % (GROUP, missing)


def test_action_group_lists_only_modules():
    members = load_runtime()["action_groups"][GROUP]
    short = [m[len(COLLECTION) + 1:] if m.startswith(COLLECTION + ".") else m for m in members if isinstance(m, str)]
    unknown = sorted(set(short) - set(MODULES))
    assert not unknown, "the %r action group names modules that do not exist: %s" % (GROUP, unknown)
    assert len(short) == len(set(short)), "the %r action group lists a module twice" % GROUP


@pytest.mark.parametrize("name", MODULES)
def test_module_extends_connection_fragment(name):
    fragments = documentation(name).get("extends_documentation_fragment") or []
    if isinstance(fragments, str):
        fragments = [fragments]
    assert FRAGMENT in fragments, "%s does not extend the %s doc fragment" % (name, FRAGMENT)


@pytest.mark.parametrize("name", MODULES)
def test_module_documents_action_group(name):
    action_group = merged_attributes(name).get("action_group")
    assert action_group, "%s does not document the action_group attribute" % name
    assert "%s.%s" % (COLLECTION, GROUP) in (action_group.get("membership") or []), (
        "%s: attributes.action_group.membership should list %s.%s" % (name, COLLECTION, GROUP))


@pytest.mark.parametrize("name", MODULES)
def test_module_does_not_redocument_connection_options(name):
    own = documentation(name).get("options") or {}
    clash = sorted(set(own) & set(CONNECTION_ARGUMENT_SPEC))
    assert not clash, "%s documents connection options itself instead of through the fragment: %s" % (name, clash)


@pytest.mark.parametrize("name", MODULES)
def test_module_argument_spec_has_every_connection_option(name, monkeypatch):
    spec = argument_spec_of(name, monkeypatch)
    missing = sorted(set(CONNECTION_ARGUMENT_SPEC) - set(spec))
    assert not missing, "%s's argument spec lacks the connection options %s" % (name, missing)
    for key, expected in CONNECTION_ARGUMENT_SPEC.items():
        assert spec[key] == expected, "%s changes the connection option %s: %r != %r" % (
            name, key, spec[key], expected)


def test_fragment_documents_exactly_the_connection_options():
    documented = set(FRAGMENT_DOC["options"])
    assert documented == set(CONNECTION_ARGUMENT_SPEC), (
        "doc fragment and CONNECTION_ARGUMENT_SPEC differ: only documented %s, only in the spec %s"
        % (sorted(documented - set(CONNECTION_ARGUMENT_SPEC)), sorted(set(CONNECTION_ARGUMENT_SPEC) - documented)))


@pytest.mark.parametrize("key", sorted(CONNECTION_ARGUMENT_SPEC))
def test_fragment_matches_spec(key):
    spec = CONNECTION_ARGUMENT_SPEC[key]
    doc = FRAGMENT_DOC["options"][key]
    assert doc.get("type", "str") == spec.get("type", "str"), "%s: type" % key
    assert bool(doc.get("required", False)) == bool(spec.get("required", False)), "%s: required" % key
    assert doc.get("default") == spec.get("default"), "%s: default" % key


@pytest.mark.parametrize("key", sorted(CONNECTION_ARGUMENT_SPEC))
def test_fragment_env_var_matches_env_fallback(key):
    spec_vars = env_vars_of(CONNECTION_ARGUMENT_SPEC[key])
    doc_vars = documented_env_vars(FRAGMENT_DOC["options"][key])
    assert spec_vars, "connection option %s has no env_fallback" % key
    assert doc_vars == spec_vars, "%s: the fragment documents %s, the spec falls back to %s" % (
        key, doc_vars, spec_vars)
