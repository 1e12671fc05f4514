#!/bin/bash
# Installs the HCL parser into the build dir (once) and checks backend/terraform with it.
# Usage: tests/terraform/run-check.sh TERRAFORM_DIR NODE_PREFIX
set -euo pipefail

here="$(dirname "$0")"
if ! "$here/install.sh" "$2"; then
  echo "Bail out! could not install @cdktf/hcl2json into $2 (see the messages above)"
  exit 1
fi
exec node "$here/check-terraform.mjs" "$1" "$2"
