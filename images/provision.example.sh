#!/bin/sh
# An example of the estate's provisioning script: scripts/image-build.sh --provision FILE
# installs it as /etc/onward/provision.sh (0700 root), and onward-firstboot.service runs it
# once, at the tablet's first start, once the daemon is ready (ONWARD_STATE_DIR is set).
# The first staff member is the administrator, added as themselves; the rest follows as
# that administrator, every command audited under that id. Used by the boot test:
#   scripts/image-build.sh --establishment MDI --provision images/provision.example.sh \
#       --admin ada
set -eu
onwardctl --as ada staff add ada --name "Ada Okafor" --role administrator
onwardctl --as ada establishment add MDI --name "HMP Moorland"
