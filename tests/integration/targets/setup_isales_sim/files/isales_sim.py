# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start a CC-iSales simulator in the background, or stop one.

    python isales_sim.py start --state-dir DIR [--lifetime S] [--timeout S] [-- SIMULATOR_ARGS...]
    python isales_sim.py stop --state-dir DIR --pid PID

start runs tests/simulator/isales_simulator.py with this Python in a session
of its own (so it outlives this process), its output in DIR/simulator.log,
waits until it has written DIR/server.json and prints that JSON (plus "log").
The secret key comes from $ISALES_SIM_SECRET_KEY and is passed on only
through the environment; it is never printed. stop asks the simulator to shut
down through its admin API, then kills PID if it is still there.

The simulator is found from $ISALES_SIMULATOR, else in a tests/simulator/ of a
directory above this file (ansible-test runs targets from a copy inside the
collection), else in the collections path.
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

SIMULATOR = os.path.join("tests", "simulator", "isales_simulator.py")


def find_simulator():
    if os.environ.get("ISALES_SIMULATOR"):
        return os.environ["ISALES_SIMULATOR"]
    directory = os.path.dirname(os.path.abspath(__file__))
    while os.path.dirname(directory) != directory:
        directory = os.path.dirname(directory)
        if os.path.isfile(os.path.join(directory, SIMULATOR)):
            return os.path.join(directory, SIMULATOR)
    paths = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.environ.get("ANSIBLE_COLLECTIONS_PATHS") or ""
    for path in paths.split(os.pathsep):
        candidate = os.path.join(path, "ansible_collections", "huawei", "isales", SIMULATOR)
        if path and os.path.isfile(candidate):
            return candidate
    sys.exit("cannot find %s above %s or in the collections path (set ISALES_SIMULATOR)" % (SIMULATOR, __file__))


def tail(path, lines=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def start(args):
    if not os.environ.get("ISALES_SIM_SECRET_KEY"):
        sys.exit("ISALES_SIM_SECRET_KEY is not set")
    state_dir = os.path.abspath(args.state_dir)
    os.makedirs(state_dir, exist_ok=True)
    info_path = os.path.join(state_dir, "server.json")
    log_path = os.path.join(state_dir, "simulator.log")
    if os.path.exists(info_path):
        os.unlink(info_path)
    sim_args = [arg for arg in args.sim_args if arg != "--"]
    command = [sys.executable, find_simulator(), "--state-dir", state_dir, "--lifetime", str(args.lifetime)] + sim_args
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, close_fds=True)
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            with open(info_path, encoding="utf-8") as handle:
                info = json.load(handle)
            break
        except (OSError, ValueError):
            pass
        if process.poll() is not None:
            sys.exit("the simulator exited (%s) before it was ready; its log:\n%s" % (process.returncode, tail(log_path)))
        if time.monotonic() > deadline:
            process.kill()
            sys.exit("the simulator wrote no %s within %ss; its log:\n%s" % (info_path, args.timeout, tail(log_path)))
        time.sleep(0.1)
    info.update(pid=process.pid, log=log_path, state_dir=state_dir)
    print(json.dumps(info))


def running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone
    except (OSError, IndexError):
        return True


def wait_gone(pid, seconds):
    deadline = time.monotonic() + seconds
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop(args):
    info_path = os.path.join(args.state_dir, "server.json")
    try:
        with open(info_path, encoding="utf-8") as handle:
            info = json.load(handle)
        context = ssl.create_default_context(cafile=info["ca_path"])
        request = urllib.request.Request(info["admin_url"] + "/shutdown", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, context=context, timeout=5).close()  # pylint: disable=consider-using-with
    except (OSError, ValueError, KeyError):
        pass  # gone already, or not answering: the pid decides
    if wait_gone(args.pid, 5):
        print("simulator %d stopped" % args.pid)
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(args.pid, sig)
        except ProcessLookupError:
            break
        if wait_gone(args.pid, 5):
            break
    print("simulator %d killed" % args.pid)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command")
    commands.required = True
    start_parser = commands.add_parser("start")
    start_parser.add_argument("--state-dir", required=True)
    start_parser.add_argument("--lifetime", type=float, default=300)
    start_parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for server.json")
    start_parser.add_argument("sim_args", nargs=argparse.REMAINDER)
    stop_parser = commands.add_parser("stop")
    stop_parser.add_argument("--state-dir", required=True)
    stop_parser.add_argument("--pid", type=int, required=True)
    args = parser.parse_args()
    if args.command == "start":
        start(args)
    else:
        stop(args)


if __name__ == "__main__":
    main()
