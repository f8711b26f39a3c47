#!/usr/bin/env bash
# Stage: the README's "run the main job" command, exactly as a user runs it.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../demo.sh"
