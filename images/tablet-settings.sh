#!/bin/sh
# The tablet's settings, run by scripts/image-build.sh inside the new arm64 root (chroot,
# through qemu-user) once mmdebstrap has installed Debian's packages. It installs
# Onward's own packages from /tmp/onward, makes the device boot into the kiosk with no
# other way in, and applies what the estate chose in /tmp/onward/settings.env:
# ESTABLISHMENT (the prison's code), ADMIN (the staff id app registrations are made as),
# APT_REPO ("URL SUITE" of the estate's signed repository, with its key in
# /tmp/onward/apt-key), and /tmp/onward/provision.sh (run once at first start).
set -eu
ESTABLISHMENT=""
ADMIN=""
APT_REPO=""
# shellcheck disable=SC1091
. /tmp/onward/settings.env
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends /tmp/onward/onward-policyd_*.deb \
	/tmp/onward/onward-kiosk_*.deb
echo onward-tablet >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tonward-tablet\n' >/etc/hosts

# Boots into the kiosk; no login prompt on any console, no debug shell, no reboot key.
systemctl set-default graphical.target
systemctl enable seatd.service onward-policyd.service onward-session.service onward-firstboot.service
systemctl mask getty@.service serial-getty@.service autovt@.service console-getty.service \
	ctrl-alt-del.target debug-shell.service

# No password opens an account: root stays locked, the service users have none.
passwd -l root >/dev/null

# The device's establishment, in the daemon's own state directory.
install -d -m 0700 -o onward -g onward /var/lib/onward
if [ -n "$ESTABLISHMENT" ]; then
	printf '{"establishment": "%s"}\n' "$ESTABLISHMENT" >/var/lib/onward/policyd.json
	chown onward:onward /var/lib/onward/policyd.json
	chmod 0600 /var/lib/onward/policyd.json
fi
if [ -f /tmp/onward/provision.sh ]; then
	install -m 0700 /tmp/onward/provision.sh /etc/onward/provision.sh
fi
if [ -n "$ADMIN" ]; then
	sed -i "s/^ONWARD_ADMIN=.*/ONWARD_ADMIN=\"$ADMIN\"/" /etc/onward/kiosk.conf
fi

# Updates come from the estate's signed repository, when there is one.
if [ -f /tmp/onward/apt-key ]; then
	install -m 0644 /tmp/onward/apt-key /usr/share/keyrings/onward-estate.gpg
	echo "deb [signed-by=/usr/share/keyrings/onward-estate.gpg] $APT_REPO main" \
		>/etc/apt/sources.list.d/onward.list
fi

# The kernel and initrd go to the EFI system partition (/boot/efi) when they change.
install -m 0755 /tmp/onward/esp-update /etc/kernel/postinst.d/zz-onward-esp
install -d /etc/initramfs/post-update.d
ln -sf /etc/kernel/postinst.d/zz-onward-esp /etc/initramfs/post-update.d/zz-onward-esp
printf '%s\n' \
	'/dev/disk/by-partlabel/onward-root / ext4 defaults,noatime,errors=remount-ro 0 1' \
	'/dev/disk/by-partlabel/onward-esp /boot/efi vfat umask=0077,noexec,nosuid,nodev 0 2' \
	>/etc/fstab
install -d -m 0700 /boot/efi
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/onward
