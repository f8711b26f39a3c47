# shellcheck shell=bash
# hacking/lib.sh -- shared helpers for hacking/test.sh, hacking/demo.sh and
# every hacking/stages/*.sh. Source it; it only defines functions and exports
# the paths below, so sourcing it twice is harmless.
#
#   REPO_ROOT  the checkout (this file's parent's parent)
#   VENV       the main virtualenv ($ISALES_VENV, default $REPO_ROOT/.venv)
#   PY         $VENV/bin/python
#   BUILD_DIR  $REPO_ROOT/build (git-ignored scratch space)
#   COLL_DIR   $BUILD_DIR/ansible_collections/huawei/isales, the copy of the
#              project that ansible-test and the demo work on
#   PATH       with $VENV/bin first
#
# A machine needs only bash, git, coreutils, tar and a Python >= 3.11 with
# the venv module: everything else is installed from the package index.

# ---------------------------------------------------------------- basics --

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
VENV="${ISALES_VENV:-$REPO_ROOT/.venv}"
# ansible-test, pip and venv all want an absolute path.
case "$VENV" in /*) ;; *) VENV="$PWD/$VENV" ;; esac
PY="$VENV/bin/python"
BUILD_DIR="$REPO_ROOT/build"
COLL_DIR="$BUILD_DIR/ansible_collections/huawei/isales"
export REPO_ROOT VENV PY BUILD_DIR COLL_DIR

# The requirement files of the main venv, in install order. Files that do not
# exist (yet) are skipped, so a new tests/*/requirements.txt is picked up
# without editing this list.
ISALES_REQUIREMENT_FILES=(
    "$REPO_ROOT/requirements.txt"
    "$REPO_ROOT/hacking/requirements-dev.txt"
    "$REPO_ROOT/tests/unit/requirements.txt"
    "$REPO_ROOT/tests/integration/requirements.txt"
    "$REPO_ROOT/tests/simulator/requirements.txt"
)

# The lowest Python that ansible-core 2.19 runs on as a controller.
ISALES_MIN_PYTHON="3.11"

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# path_without DIR PATHLIST -- PATHLIST with every occurrence of DIR removed.
path_without() {
    local dir=$1 entry out=""
    local -a entries
    IFS=: read -r -a entries <<<"$2"
    for entry in "${entries[@]}"; do
        [[ -n "$entry" && "$entry" != "$dir" ]] && out="${out:+$out:}$entry"
    done
    printf '%s' "$out"
}

# Put $VENV/bin first exactly once (stages re-source this file).
PATH="$VENV/bin:$(path_without "$VENV/bin" "$PATH")"
export PATH

# ------------------------------------------------------------ cleanup ----

# One EXIT trap runs every registered cleanup, so helpers (the simulator,
# temp dirs) can each add theirs without clobbering the others'.
[[ -v ISALES_CLEANUPS ]] || ISALES_CLEANUPS=()
add_cleanup() {
    ISALES_CLEANUPS+=("$1")
    trap _isales_run_cleanups EXIT
    # An interrupted run still goes through the EXIT trap.
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
_isales_run_cleanups() {
    local rc=$? i
    for ((i = ${#ISALES_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${ISALES_CLEANUPS[i]}" || true
    done
    ISALES_CLEANUPS=()
    return "$rc"
}

# -------------------------------------------------------------- locks ----

# acquire_lock DIR WHAT -- wait until this process holds the lock DIR. A
# directory (mkdir is atomic) holding the owner's pid rather than flock(1):
# a flock fd is inherited by every child, so a server left running by a test
# would hold the lock long after the run. A lock whose owner died is taken
# over. Released by release_lock, or on exit.
acquire_lock() {
    local dir=$1 what=$2 owner waited=""
    mkdir -p "${dir%/*}"
    until mkdir "$dir" 2>/dev/null; do
        owner="$(cat "$dir/pid" 2>/dev/null || true)"
        if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
            rm -rf "$dir" # its owner is gone
            continue
        fi
        if [[ -z "$owner" && -n "$(find "$dir" -maxdepth 0 -mmin +1 2>/dev/null)" ]]; then
            rm -rf "$dir" # its owner died before it wrote its pid
            continue
        fi
        if [[ -z "$waited" ]]; then
            say "waiting for $what (pid ${owner:-?}, lock $dir)"
            waited=1
        fi
        sleep 1
    done
    echo "$$" >"$dir/pid"
    add_cleanup "release_lock '$dir'"
}

# release_lock DIR -- give up a lock this process holds (no-op otherwise).
release_lock() {
    [[ "$(cat "$1/pid" 2>/dev/null || true)" == "$$" ]] && rm -rf "$1"
    return 0
}

# lock_checkout -- one test or demo run per checkout at a time: they share
# $VENV and $COLL_DIR, and one run's sync_collection would delete the other's
# generated integration_config.yml. Taken by the first helper that needs it;
# the stages that test.sh starts inherit it (ISALES_CHECKOUT_LOCKED).
lock_checkout() {
    [[ -z "${ISALES_CHECKOUT_LOCKED:-}" ]] || return 0
    acquire_lock "$BUILD_DIR/.lock.d" "another test or demo run in this checkout"
    ISALES_CHECKOUT_LOCKED=$$
    export ISALES_CHECKOUT_LOCKED
}

# --------------------------------------------------------- virtualenvs ----

# python_version EXE -- prints "3.X" if EXE runs, fails otherwise. PYENV_VERSION
# is dropped because ansible-test drops it too: a pyenv shim must work
# without it to count.
python_version() {
    env -u PYENV_VERSION timeout 20 "$1" -c \
        'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

# version_ge A B -- true when version A >= version B.
version_ge() {
    [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" == "$2" ]]
}

# base_python -- the interpreter new venvs are made from: $ISALES_BASE_PYTHON
# if set, else the first of python3.11, 3.12, 3.13, python3 that runs and is
# new enough for ansible-core 2.19.
base_python() {
    local cand ver
    if [[ -n "${ISALES_BASE_PYTHON:-}" ]]; then
        printf '%s' "$ISALES_BASE_PYTHON"
        return 0
    fi
    for cand in python3.11 python3.12 python3.13 python3; do
        command -v "$cand" >/dev/null 2>&1 || continue
        ver="$(python_version "$cand")" || continue
        version_ge "$ver" "$ISALES_MIN_PYTHON" || continue
        printf '%s' "$cand"
        return 0
    done
    die "no Python >= $ISALES_MIN_PYTHON found on PATH (set ISALES_BASE_PYTHON)"
}

# _requirement_closure FILE... -- each FILE followed by the files it pulls in
# with -r/-c, recursively, so that editing an included file changes the hash.
_requirement_closure() {
    local file line ref
    local -a lines
    for file in "$@"; do
        [[ -f "$file" ]] || continue
        printf '%s\n' "$file"
        mapfile -t lines <"$file"
        for line in "${lines[@]}"; do
            if [[ "$line" =~ ^[[:space:]]*(-r|-c|--requirement|--constraint)[[:space:]=]*([^[:space:]]+) ]]; then
                ref="${BASH_REMATCH[2]}"
                [[ "$ref" == /* ]] || ref="$(dirname "$file")/$ref"
                _requirement_closure "$ref"
            fi
        done
    done
}

# _requirements_hash FILE... -- a digest of the files' contents (not their
# paths, so a copy of the repo elsewhere reuses a venv) plus this helper's
# own version, bumped when the install logic changes.
_requirements_hash() {
    local file
    {
        echo "ensure_venv v1"
        while IFS= read -r file; do
            echo "--- $(basename "$file")"
            cat "$file"
        done < <(_requirement_closure "$@")
    } | sha256sum | cut -d' ' -f1
}

# ensure_venv DIR REQFILE... -- create DIR as a virtualenv if needed and
# install the requirement files into it, but only when their hash differs from
# the one stamped in DIR by the last successful install. Quiet when warm.
ensure_venv() {
    local dir=$1
    shift
    local stamp="$dir/.isales-requirements.sha256" log="$dir/.isales-pip.log"
    local want file base
    local -a args=()
    want="$(_requirements_hash "$@")"

    if [[ -f "$stamp" && "$(<"$stamp")" == "$want" ]] && "$dir/bin/python" -c '' 2>/dev/null; then
        return 0
    fi

    if ! "$dir/bin/python" -m pip --version >/dev/null 2>&1; then
        # Missing or broken (e.g. its base interpreter is gone): start over,
        # but never delete a directory that is not a venv.
        if [[ -e "$dir" ]]; then
            [[ -f "$dir/pyvenv.cfg" ]] || die "$dir exists and is not a virtualenv"
            rm -rf "$dir"
        fi
        base="$(base_python)"
        say "creating virtualenv $dir (from $base, Python $(python_version "$base"))"
        "$base" -m venv "$dir" || die "could not create $dir: does $base have the venv module?"
    fi

    for file in "$@"; do
        [[ -f "$file" ]] && args+=(-r "$file")
    done
    say "installing requirements into $dir (log: $log)"
    rm -f "$stamp"
    if ! "$dir/bin/python" -m pip install --disable-pip-version-check --upgrade "${args[@]}" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        die "pip install into $dir failed (full log: $log)"
    fi
    printf '%s\n' "$want" >"$stamp"
}

# ensure_main_venv -- the venv every stage uses; also exports PY_VERSION
# ("3.11"), the version ansible-test is told to run units/integration with.
ensure_main_venv() {
    lock_checkout
    ensure_venv "$VENV" "${ISALES_REQUIREMENT_FILES[@]}"
    PY_VERSION="$(python_version "$PY")" || die "$PY does not run"
    export PY_VERSION
}

# ------------------------------------------------------ collection copy ----

# _project_files -- NUL-separated paths (relative to REPO_ROOT) of the files
# that make up the project: what git tracks plus untracked files it does not
# ignore, minus files deleted from the work tree. Outside a git checkout:
# everything but VCS data, venvs, build output and caches.
_project_files() {
    local rel_venv="" rel path
    case "$VENV/" in "$REPO_ROOT"/*) rel_venv="${VENV#"$REPO_ROOT"/}" ;; esac
    {
        if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
            git -C "$REPO_ROOT" ls-files -z --cached --others --exclude-standard
        else
            (cd "$REPO_ROOT" && find . \
                \( -path ./.git -o -path ./.venv -o -path ./build -o -path '*/tests/output' \
                   -o -name __pycache__ -o -name .pytest_cache -o -name .hypothesis \) -prune \
                -o \( -type f -o -type l \) -print0 | sed -z 's|^\./||')
        fi
    } | while IFS= read -r -d '' rel; do
        # Never copy our own venv or build dir, even if .gitignore misses them.
        [[ -n "$rel_venv" && ( "$rel" == "$rel_venv" || "$rel" == "$rel_venv"/* ) ]] && continue
        [[ "$rel" == build/* ]] && continue
        path="$REPO_ROOT/$rel"
        [[ -e "$path" || -L "$path" ]] && printf '%s\0' "$rel"
    done
}

# sync_collection -- make $COLL_DIR an exact copy of the project files.
# ansible-test runs there (it needs the ansible_collections/NS/NAME layout).
# To find the collection's files it looks for a .git upwards from there: in a
# checkout it would find the project's own, in which build/ is ignored, and see
# no files at all; elsewhere it would take every file in the tree. So the copy
# gets a .git of its own (nothing is ever committed to it): ansible-test then
# lists the copy's files with git, honouring the copied .gitignore, which keeps
# generated files (integration_config.yml, inventory, tests/output) out in
# every case. Stale files from earlier runs are removed all the same, so the
# copy holds exactly the project's files. Kept: .git and tests/output
# (ansible-test's scratch space).
sync_collection() {
    local want have
    # test.sh running stages side by side syncs once, before they start: a
    # re-sync in one stage would delete what another stage generated in the
    # copy (integration_config.yml, tests/output) while it runs.
    [[ -z "${ISALES_SYNCED:-}" ]] || return 0
    lock_checkout
    want="$(mktemp)"
    have="$(mktemp)"
    mkdir -p "$COLL_DIR"
    [[ -e "$COLL_DIR/.git" ]] || git init -q "$COLL_DIR"
    _project_files | sort -z >"$want"
    (cd "$COLL_DIR" && find . \( -path ./.git -o -path ./tests/output \) -prune \
        -o \( -type f -o -type l \) -print0 | sed -z 's|^\./||' | sort -z) >"$have"
    # Files present in the copy but not in the project: stale.
    comm -z -23 "$have" "$want" | (cd "$COLL_DIR" && xargs -0 -r rm -f --)
    # Directories left empty (depth-first, so nested ones go too).
    find "$COLL_DIR" -mindepth 1 -depth -type d -empty \
        -not -path "$COLL_DIR/.git" -not -path "$COLL_DIR/.git/*" \
        -not -path "$COLL_DIR/tests/output" -not -path "$COLL_DIR/tests/output/*" -delete
    # tar keeps modes, symlinks and mtimes (ansible-test caches by mtime).
    tar -C "$REPO_ROOT" --null -T "$want" -cf - | tar -C "$COLL_DIR" -xf -
    rm -f "$want" "$have"
}

# ----------------------------------------------------- ansible-test setup ----

# _ansible_test_dir -- where the installed ansible_test package lives.
_ansible_test_dir() {
    "$PY" -c 'import os, ansible_test; print(os.path.dirname(ansible_test.__file__))'
}

# The marker that tells our stand-in apart from a real get-pip.py someone
# downloaded (which we leave alone).
ISALES_GET_PIP_MARKER="# huawei.isales get-pip stand-in"

# _install_get_pip_standin -- ansible-test bootstraps pip in every venv it
# creates by running get-pip-<ver>.py, downloaded from a host that may be
# unreachable (air-gapped machines, CI without general internet). It first
# looks for ~/.ansible/test/cache/get_pip_<ver>.py; we put a small script there
# that uses the interpreter's own ensurepip and then pip-installs the pinned
# pip from the normal package index (or mirror) instead.
_install_get_pip_standin() {
    local at_dir pip_version cache_file tmp
    at_dir="$(_ansible_test_dir)" || die "ansible-test is not installed in $VENV"
    # The pip pin ansible-test wants, e.g. "pip='24.2'" (2.19); other
    # ansible-core releases pin other versions, so read it, don't assume it.
    pip_version="$(sed -n "s/^[[:space:]]*pip[[:space:]]*=[[:space:]]*['\"]\([0-9][0-9.]*\)['\"].*/\1/p" \
        "$at_dir/_internal/python_requirements.py" | head -n 1)"
    [[ -n "$pip_version" ]] || die "cannot find the pip pin in $at_dir/_internal/python_requirements.py"
    grep -q "get_pip_%s.py" "$at_dir/_util/target/setup/requirements.py" ||
        warn "ansible-test no longer seems to cache get_pip_<ver>.py; the stand-in may be unused"
    cache_file="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
    if [[ -f "$cache_file" ]] && ! grep -qF "$ISALES_GET_PIP_MARKER" "$cache_file"; then
        return 0 # a real get-pip.py: better than ours
    fi
    mkdir -p "$(dirname "$cache_file")"
    tmp="$cache_file.isales.$$"
    cat >"$tmp" <<EOF
$ISALES_GET_PIP_MARKER (written by hacking/lib.sh).
# ansible-test runs this instead of downloading get-pip-$pip_version.py: it
# bootstraps pip with the interpreter's own ensurepip, then lets that pip
# install what ansible-test asked for (e.g. pip==$pip_version) from the index.
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
EOF
    if [[ -f "$cache_file" ]] && cmp -s "$tmp" "$cache_file"; then
        rm -f "$tmp"
    else
        mv -f "$tmp" "$cache_file"
        say "wrote get-pip $pip_version stand-in: $cache_file"
    fi
}

# _supported_pythons -- the Python versions the installed ansible-test can test
# with (controller and remote-only), from its own constants file.
_supported_pythons() {
    "$PY" - "$(_ansible_test_dir)/_util/target/common/constants.py" <<'EOF'
import sys
ns = {}
with open(sys.argv[1]) as f:
    exec(compile(f.read(), sys.argv[1], "exec"), ns)
print(" ".join(ns["REMOTE_ONLY_PYTHON_VERSIONS"] + ns["CONTROLLER_PYTHON_VERSIONS"]))
EOF
}

# _real_python EXE VERSION -- the resolved interpreter behind EXE (a pyenv
# shim, a venv's python, a symlink) if it runs and is Python VERSION with
# venv and ensurepip (ansible-test makes venvs from it); fails otherwise.
_real_python() {
    env -u PYENV_VERSION timeout 20 "$1" - "$2" 2>/dev/null <<'EOF'
import os, sys
if "%d.%d" % sys.version_info[:2] != sys.argv[1]:
    sys.exit(1)
import importlib.util
if not all(importlib.util.find_spec(m) for m in ("ensurepip", "venv")):
    sys.exit(1)  # ansible-test makes its venvs with these
print(os.path.realpath(sys.executable))
EOF
}

# _build_pybin -- pyenv puts shims python3.8 ... python3.13 on PATH that exit
# 127 unless that version is active, and ansible-test dies (FATAL) on them
# instead of skipping them. So: link each Python version that really works into
# $BUILD_DIR/pybin, and drop from PATH every directory that holds a python3.X
# that does not even run. Exports PATH and ISALES_PYTHONS.
_build_pybin() {
    local pybin="$BUILD_DIR/pybin" supported dir exe name ver real pyenv_root
    local -a path_dirs candidates=() kept=()
    local -A found=() runs=() seen=()
    supported=" $(_supported_pythons) "
    IFS=: read -r -a path_dirs <<<"$(path_without "$pybin" "$(path_without "$VENV/bin" "$PATH")")"

    # Candidates: PATH first (the user's choice), then pyenv's installed
    # versions, newest patch release first.
    for dir in "${path_dirs[@]}"; do
        [[ -n "$dir" ]] && candidates+=("$dir"/python3.[0-9]*)
    done
    if command -v pyenv >/dev/null 2>&1 && pyenv_root="$(pyenv root 2>/dev/null)"; then
        while IFS= read -r exe; do
            # Off PATH, only versions ansible-test can use are worth a probe.
            [[ "$supported" == *" ${exe##*/python} "* ]] && candidates+=("$exe")
        done < <(printf '%s\n' "$pyenv_root"/versions/*/bin/python3.[0-9]* | sort -V -r)
    fi

    for exe in "${candidates[@]}"; do
        name="${exe##*/}"
        [[ "$name" =~ ^python(3\.[0-9]+)$ && -x "$exe" && -f "$exe" ]] || continue
        ver="${BASH_REMATCH[1]}"
        [[ -n "${runs[$exe]:-}" ]] && continue
        if real="$(_real_python "$exe" "$ver")" && [[ -n "$real" ]]; then
            runs[$exe]=yes
            [[ -z "${found[$ver]:-}" && "$supported" == *" $ver "* ]] && found[$ver]="$real"
        elif python_version "$exe" >/dev/null; then
            runs[$exe]=yes # runs, but lacks venv/ensurepip: harmless
        else
            runs[$exe]=no
        fi
    done

    rm -rf "$pybin"
    mkdir -p "$pybin"
    for ver in "${!found[@]}"; do
        ln -s "${found[$ver]}" "$pybin/python$ver"
    done
    ISALES_PYTHONS="$(printf '%s\n' "${!found[@]}" | sort -V | tr '\n' ' ')"
    ISALES_PYTHONS="${ISALES_PYTHONS% }"
    export ISALES_PYTHONS

    for dir in "${path_dirs[@]}"; do
        [[ -n "$dir" && -z "${seen[$dir]:-}" ]] || continue
        seen[$dir]=1
        local broken=""
        for exe in "$dir"/python3.[0-9]*; do
            [[ "${runs[$exe]:-}" == no ]] && broken="$exe"
        done
        if [[ -n "$broken" ]]; then
            say "leaving $dir off PATH for ansible-test: ${broken##*/} there does not run"
            continue
        fi
        kept+=("$dir")
    done
    PATH="$VENV/bin:$pybin"
    ((${#kept[@]} == 0)) || PATH="$PATH$(printf ':%s' "${kept[@]}")"
    export PATH
    say "Pythons for ansible-test: ${ISALES_PYTHONS:-none}"
}

# prepare_ansible_test -- make ansible-test usable offline and with whatever
# Pythons this machine really has. Cheap enough to call in every stage.
prepare_ansible_test() {
    _install_get_pip_standin
    # Probing interpreters takes seconds (pyenv shims are slow): once test.sh
    # has done it, the stages it runs inherit the result.
    if [[ "${ISALES_PREPARED_PATH:-}" == "$PATH" && -d "$BUILD_DIR/pybin" ]]; then
        return 0
    fi
    _build_pybin
    ISALES_PREPARED_PATH="$PATH"
    export ISALES_PREPARED_PATH
}

# ansible_test ARGS... -- ansible-test, one at a time per user: all runs share
# ~/.ansible/test (venvs, pip bootstrap), and two runs building the same venv
# at once corrupt it (pip's self-upgrade fails). Serialises our own runs, e.g.
# a work tree and a fresh clone tested side by side.
ansible_test() {
    local lock="$HOME/.ansible/test/.isales.lock.d" rc=0
    acquire_lock "$lock" "another ansible-test run"
    ansible-test "$@" || rc=$?
    release_lock "$lock"
    return "$rc"
}

# ------------------------------------------------------------- simulator ----

# The simulator this shell started (not exported: a child shell has none).
ISALES_SIM_PID="${ISALES_SIM_PID:-}"

# start_simulator STATE_DIR [ARGS...] -- start the HTTPS simulator of the
# iSales server in the background and export ISALES_URL, ISALES_ACCESS_KEY,
# ISALES_SECRET_KEY, ISALES_CA_PATH and ISALES_SIM_ADMIN from the
# STATE_DIR/server.json it writes once it listens. The secret key is random
# per run and reaches the simulator only through its environment (never argv,
# which other users can read). The simulator is stopped on exit in any case.
start_simulator() {
    local state_dir=$1
    shift
    local server_json="$state_dir/server.json" log="$state_dir/simulator.log"
    local timeout="${ISALES_SIM_START_TIMEOUT:-20}" secret deadline exports
    [[ -f "$REPO_ROOT/tests/simulator/isales_simulator.py" ]] ||
        die "tests/simulator/isales_simulator.py does not exist"
    mkdir -p "$state_dir"
    state_dir="$(cd "$state_dir" && pwd -P)"
    server_json="$state_dir/server.json"
    log="$state_dir/simulator.log"
    rm -f "$server_json"
    secret="$("$PY" -c 'import secrets;print(secrets.token_hex(16))')"

    ISALES_SIM_SECRET_KEY="$secret" "$PY" "$REPO_ROOT/tests/simulator/isales_simulator.py" \
        --state-dir "$state_dir" --lifetime 1800 "$@" </dev/null >"$log" 2>&1 &
    ISALES_SIM_PID=$!
    ISALES_SIM_LOG="$log"
    export ISALES_SIM_LOG
    add_cleanup stop_simulator

    # Bounded wait: the simulator writes server.json once its socket listens.
    deadline=$((SECONDS + timeout))
    until exports="$(_read_server_json "$server_json" 2>/dev/null)"; do
        if ! kill -0 "$ISALES_SIM_PID" 2>/dev/null; then
            tail -n 30 "$log" >&2
            # The simulator this shell started (not exported: a child shell has none).
ISALES_SIM_PID="${ISALES_SIM_PID:-}"
            die "the simulator exited before it was ready (log: $log)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 30 "$log" >&2
            die "the simulator wrote no $server_json within ${timeout}s (log: $log)"
        fi
        sleep 0.2
    done
    eval "$exports"
    ISALES_SECRET_KEY="$secret"
    export ISALES_URL ISALES_ACCESS_KEY ISALES_SECRET_KEY ISALES_CA_PATH ISALES_SIM_ADMIN
    say "simulator up at $ISALES_URL (pid $ISALES_SIM_PID, log: $log)"
}

# _read_server_json FILE -- shell assignments for the fields of server.json;
# fails while the file is missing or half-written.
_read_server_json() {
    "$PY" - "$1" <<'EOF'
import json, shlex, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
for var, key in (("ISALES_URL", "url"), ("ISALES_ACCESS_KEY", "access_key"),
                 ("ISALES_CA_PATH", "ca_path"), ("ISALES_SIM_ADMIN", "admin_url")):
    print("%s=%s" % (var, shlex.quote(str(d[key]))))
EOF
}

# sim_admin METHOD PATH -- call the simulator's admin API (trusting its CA);
# prints the response body.
sim_admin() {
    "$PY" - "$1" "$ISALES_SIM_ADMIN$2" "$ISALES_CA_PATH" <<'EOF'
import ssl, sys, urllib.request
method, url, ca = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=ca)
req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
    sys.stdout.write(resp.read().decode("utf-8"))
EOF
}

# _wait_gone PID SECONDS -- wait until PID has exited; fails on time-out.
_wait_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# stop_simulator -- ask the simulator to shut down through its admin API; if
# that does not work within a few seconds, kill the process we started.
stop_simulator() {
    local pid="${ISALES_SIM_PID:-}"
    [[ -n "$pid" ]] || return 0
    # The simulator this shell started (not exported: a child shell has none).
ISALES_SIM_PID="${ISALES_SIM_PID:-}"
    if kill -0 "$pid" 2>/dev/null; then
        if [[ -n "${ISALES_SIM_ADMIN:-}" ]]; then
            sim_admin POST /shutdown >/dev/null 2>&1 || true
        fi
        if ! _wait_gone "$pid" 5; then
            kill "$pid" 2>/dev/null || true
            _wait_gone "$pid" 5 || kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    say "simulator stopped"
}
