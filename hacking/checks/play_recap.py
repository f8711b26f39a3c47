# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook and check its PLAY RECAP: every host ok, and at most so many changes.

Runs the command given after "--" with the default stdout callback and no
colour (whatever the environment sets, so the recap is always there to read),
prints its output as it comes, then reads the PLAY RECAP lines
("HOST : ok=N changed=N unreachable=N failed=N ..."). Fails when the command
fails, when there is no recap, when a host is unreachable or failed, or when
a host reports more changes than --max-changed. No assertion inside the
playbook is needed, so the playbook stays fit for check mode and for users.

usage: python hacking/checks/play_recap.py [--max-changed N] -- ansible-playbook ARGS...
(nox -s demo runs it on the second run of docs/examples/converge.yml)
"""

import argparse
import os
import re
import subprocess
import sys

RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+(?P<counts>(?:\w+=\d+\s*)+)$")


def recap(output):
    """{host: {counter: value}} from the PLAY RECAP lines of ansible-playbook's output."""
    hosts = {}
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("PLAY RECAP"):
            continue
        for following in lines[index + 1:]:
            match = RECAP.match(following.strip())
            if not match:
                break
            hosts[match.group("host")] = dict((name, int(value)) for name, value in
                                              re.findall(r"(\w+)=(\d+)", match.group("counts")))
    return hosts


def problems(hosts, max_changed):
    """What is wrong with the recap, one line each."""
    if not hosts:
        return ["no PLAY RECAP in the output"]
    found = []
    for host, counts in sorted(hosts.items()):
        for counter in ("unreachable", "failed"):
            if counts.get(counter, 0):
                found.append("%s: %s=%d" % (host, counter, counts[counter]))
        if max_changed is not None and counts.get("changed", 0) > max_changed:
            found.append("%s: changed=%d, at most %d expected" % (host, counts["changed"], max_changed))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--max-changed", type=int, default=None, help="the most changes a host may report")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- ansible-playbook ARGS...")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    output = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # nosec
                          universal_newlines=True) as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            output.append(line)
        returncode = proc.wait()
    sys.stdout.flush()
    found = problems(recap("".join(output)), args.max_changed)
    if returncode:
        found.insert(0, "%s exited with %d" % (command[0], returncode))
    for problem in found:
        print("PLAY RECAP check: %s" % problem, file=sys.stderr)
    if not found:
        print("PLAY RECAP check: ok%s" % ("" if args.max_changed is None else
                                          " (changed <= %d on every host)" % args.max_changed))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
