# huawei.isales get-pip stand-in (copied by hacking/nox_support.py).
# ansible-test bootstraps pip in each venv it makes by running get-pip-<ver>.py,
# which it downloads unless ~/.ansible/test/cache/get_pip_<ver>.py exists. This
# copy there makes it work where that host cannot be reached: the interpreter's
# own ensurepip bootstraps pip, which then installs what ansible-test asked for
# (e.g. pip==25.2) from the package index configured for pip.
import subprocess
import sys

# get-pip.py options that pip install does not know.
GET_PIP_ONLY = ("--no-setuptools", "--no-wheel", "--no-pip")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    return subprocess.call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    sys.exit(main())
