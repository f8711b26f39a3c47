# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the resilience tests: simulators this run starts and stops, and ansible-playbook runs.

These tests run the collection's modules through ansible-playbook against real
simulators over HTTPS. They need the collection on ANSIBLE_COLLECTIONS_PATH
(hacking/stages/4[5-8]-*.sh set it to the synced copy under build/) and trustme.
"""

from __future__ import absolute_import, division, print_function

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import simctl  # noqa: E402  pylint: disable=wrong-import-position

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")


class PlaybookRun(object):
    def __init__(self, command, returncode, stdout, stderr):
        self.command = command
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def recap(self):
        """{host: {ok: N, changed: N, failed: N, ...}} from the PLAY RECAP."""
        hosts = {}
        lines = self.stdout.split("PLAY RECAP", 1)[-1].splitlines()
        for line in lines:
            if " : " not in line:
                continue
            host, counters = line.split(" : ", 1)
            hosts[host.strip()] = dict((key, int(value)) for key, value in
                                       (item.split("=") for item in counters.split()))
        return hosts


def run_playbook(playbook, inventory="localhost,", args=(), env=None, timeout=300):
    """ansible-playbook PLAYBOOK; a PlaybookRun with its whole output."""
    command = ["ansible-playbook", "-i", inventory, os.path.join(PLAYBOOKS, playbook)] + list(args)
    process = subprocess.run(command, env=simctl.ansible_env(env), cwd=PLAYBOOKS, timeout=timeout,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return PlaybookRun(command, process.returncode, process.stdout.decode("utf-8", "replace"),
                       process.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def secret():
    return simctl.new_secret()


@pytest.fixture(scope="module")
def sim(tmp_path_factory, secret):
    """A simulator of the usual kind (certificate signed by the CA in its ca.pem)."""
    with simctl.Simulator(str(tmp_path_factory.mktemp("sim")), secret) as server:
        yield server


@pytest.fixture(scope="module")
def self_signed_sim(tmp_path_factory, secret):
    """A simulator whose certificate is NOT signed by the CA in its ca.pem."""
    with simctl.Simulator(str(tmp_path_factory.mktemp("sim-self-signed")), secret, args=["--self-signed"]) as server:
        yield server


@pytest.fixture
def fresh(sim):
    """The simulator, reset: no results, no faults, empty log."""
    sim.admin("POST", "/reset")
    return sim
