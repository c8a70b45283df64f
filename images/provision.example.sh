#!/bin/sh
# An example of the estate's provisioning script: scripts/image-build.sh --provision FILE
# installs it as /etc/onward/provision.sh (0700 root), and onward-firstboot.service runs it
# once, at the tablet's first start, once the daemon is ready (ONWARD_STATE_DIR is set).
# It runs as root on the tablet, so its commands are break-glass, audited as such (the way
# in before any staff member has signed in); the administrator it adds gets a one-time
# setup code to choose a password and set up their authenticator. Used by the boot test:
#   scripts/image-build.sh --establishment MDI --provision images/provision.example.sh \
#       --admin ada
set -eu
onwardctl --break-glass staff add ada --name "Ada Okafor" --role administrator
onwardctl --break-glass establishment add MDI --name "HMP Moorland"
