# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start, call and stop CC-iSales simulators from the resilience tests.

Each Simulator is a process this module starts itself (never found by name),
with a bounded lifetime, its secret key passed only through its environment,
and stopped through the admin API, then by its pid if it does not go.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import secrets
import ssl
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR = os.path.join(os.path.dirname(HERE), "simulator", "isales_simulator.py")
START_TIMEOUT = 30


def foreign_ca_bundle():
    """A CA bundle that signed none of the simulators' certificates: certifi's (requests needs certifi)."""
    import certifi  # pylint: disable=import-outside-toplevel

    return certifi.where()


def new_secret():
    """A secret key that is easy to find in any output: random, with characters that every kind of
    escaping (URL, JSON, HTML, repr) changes, so that each escaped form differs from the raw one."""
    return "sk-%s /+=&\"'\u00e9%s" % (secrets.token_hex(8), secrets.token_hex(4))


class Simulator(object):
    """One simulator process, started with start() and stopped with stop()."""

    def __init__(self, state_dir, secret, args=(), lifetime=900):
        self.state_dir = os.path.abspath(state_dir)
        self.secret = secret
        self.args = list(args)
        self.lifetime = lifetime
        self.process = None
        self.info = None
        # Its certificate is signed by no CA we have: the admin calls of the test cannot verify it.
        self.verify_admin = "--self-signed" not in self.args

    # -- life cycle

    def start(self):
        os.makedirs(self.state_dir, exist_ok=True)
        info_path = os.path.join(self.state_dir, "server.json")
        if os.path.exists(info_path):
            os.unlink(info_path)
        env = dict(os.environ, ISALES_SIM_SECRET_KEY=self.secret)
        log = open(os.path.join(self.state_dir, "simulator.log"), "ab")  # pylint: disable=consider-using-with
        try:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [sys.executable, SIMULATOR, "--state-dir", self.state_dir, "--lifetime", str(self.lifetime)]
                + self.args, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with open(info_path, encoding="utf-8") as handle:
                    self.info = json.load(handle)
                break
            except (OSError, ValueError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulator in %s did not start (see its simulator.log)" % self.state_dir)
            time.sleep(0.1)
        return self

    def stop(self):
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None and self.info:
            try:
                self.admin("POST", "/shutdown")
            except (OSError, ValueError):
                pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- coordinates

    @property
    def url(self):
        return self.info["url"]

    @property
    def ca_path(self):
        return self.info["ca_path"]

    @property
    def admin_url(self):
        return self.info["admin_url"]

    @property
    def access_key(self):
        return self.info["access_key"]

    def env(self):
        """The ISALES_* variables of this simulator, as the modules read them."""
        return {"ISALES_URL": self.url, "ISALES_ACCESS_KEY": self.access_key, "ISALES_SECRET_KEY": self.secret,
                "ISALES_CA_PATH": self.ca_path, "ISALES_SIM_ADMIN": self.admin_url}

    # -- admin API

    def admin(self, method, path, data=None):
        return admin_call(self.admin_url, self.ca_path if self.verify_admin else None, method, path, data)


def admin_call(admin_url, ca_path, method, path, data=None):
    """One call of a simulator's admin API; the parsed JSON answer. ca_path None: no verification."""
    if ca_path:
        context = ssl.create_default_context(cafile=ca_path)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    body = None
    if data is not None or method in ("POST", "PUT"):
        body = json.dumps(data if data is not None else {}).encode("utf-8")
    request = urllib.request.Request(admin_url + path, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def ansible_env(extra=None):
    """The environment for ansible-playbook runs of these tests."""
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_PIPELINING="1", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_HOST_KEY_CHECKING="0")
    for name in ("ISALES_URL", "ISALES_ACCESS_KEY", "ISALES_SECRET_KEY", "ISALES_CA_PATH", "ISALES_SIM_ADMIN",
                 "ISALES_VALIDATE_CERTS", "ISALES_TIMEOUT", "ISALES_RETRIES", "ISALES_SIGNED_HEADERS",
                 "ANSIBLE_DEBUG"):
        env.pop(name, None)
    env.update(extra or {})
    return env
