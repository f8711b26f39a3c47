#!/usr/bin/env bash
# Stage: the benchmark at its smallest size (10 results, a few loop items),
# so that it keeps working. No timing is asserted; the request counts are
# (exactly N creates and one listing call for a bulk create, ceil(N/50)
# listing calls and N details for a bulk no-change run, ceil(N/50) + 1 per
# looped task, no write in a no-change run): a wrong count fails the stage.
# Writes build/benchmark-smoke/, never docs/.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../benchmark.sh" --smallest
