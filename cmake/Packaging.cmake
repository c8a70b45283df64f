# Packaging: the Debian packages a tablet fleet is installed and updated from (CPack's
# DEB generator), and the install rules behind them.
#   onward-policyd  the daemon, onward-parse (its keyless child that parses outside files),
#                   onwardctl, onward-bundle, the shipped policies, its unit and user
#   onward-kiosk    onward-shell, onward-launch, onward-session, the apps, the session and
#                   first-start units, logind and kernel settings, translations
# Build them with -DONWARD_PACKAGING=ON (installed paths: policies and translations under
# /usr/share, onward-launch without its test hooks), then `cpack` in the build folder;
# scripts/image-build.sh does this for arm64. Installing does not need ONWARD_PACKAGING,
# but the programs then look for their files in the build folder.
option(ONWARD_PACKAGING "Build for the Debian packages (installed paths, no test hooks)" OFF)
set(ONWARD_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the packages (a build number)")

set(ONWARD_LIBEXEC libexec/onward)

if(ONWARD_PACKAGING)
	if(ONWARD_TEST_HOOKS)
		message(FATAL_ERROR "ONWARD_PACKAGING=ON needs -DONWARD_TEST_HOOKS=OFF: packages "
			"never carry test hooks (the daemon's settable clock, the launcher's --without)")
	endif()
	if(NOT ONWARD_POLICY_DIR STREQUAL "/usr/share/onward/policy")
		message(FATAL_ERROR "ONWARD_PACKAGING=ON needs "
			"-DONWARD_POLICY_DIR=/usr/share/onward/policy (where the package puts them)")
	endif()
	# The toolkit finds its catalogues where the build put them; a package puts them in
	# /usr/share/locale. (The toolkit names the folder itself; this only changes it.)
	if(TARGET onward_ui)
		get_target_property(ui_defs onward_ui COMPILE_DEFINITIONS)
		list(FILTER ui_defs EXCLUDE REGEX "^ONWARD_UI_LOCALEDIR=")
		list(APPEND ui_defs "ONWARD_UI_LOCALEDIR=\"/usr/share/locale\"")
		set_target_properties(onward_ui PROPERTIES COMPILE_DEFINITIONS "${ui_defs}")
	endif()
endif()

set(kiosk_systemd ${PROJECT_SOURCE_DIR}/kiosk/systemd)
set(kiosk_packaging ${PROJECT_SOURCE_DIR}/kiosk/packaging)

# onward-policyd
install(TARGETS onward-policyd onwardctl RUNTIME DESTINATION sbin COMPONENT policyd)
# The daemon's child, not for running by hand: where the packaged daemon looks for it
# (services/policyd/CMakeLists.txt, ONWARD_PARSE_PATH).
install(TARGETS onward-parse RUNTIME DESTINATION ${ONWARD_LIBEXEC} COMPONENT policyd)
install(FILES ${PROJECT_SOURCE_DIR}/services/parse/onward-parse.8 DESTINATION share/man/man8
	COMPONENT policyd)
if(TARGET onward-bundle)
	install(TARGETS onward-bundle RUNTIME DESTINATION sbin COMPONENT policyd)
endif()
file(GLOB policy_files ${PROJECT_SOURCE_DIR}/policy/*.cedar
	${PROJECT_SOURCE_DIR}/policy/*.cedarschema)
install(FILES ${policy_files} DESTINATION share/onward/policy COMPONENT policyd)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policy/establishments/
	DESTINATION share/onward/policy/establishments COMPONENT policyd
	FILES_MATCHING PATTERN "*.cedar")
# The shipped directory of local services; the daemon looks for it beside the policy
# directory (m_housing_directory.c), and a device may put its own in its state directory.
install(FILES ${PROJECT_SOURCE_DIR}/data/services-directory.json DESTINATION share/onward/data
	COMPONENT policyd)
install(FILES ${kiosk_systemd}/onward-policyd.service DESTINATION lib/systemd/system
	COMPONENT policyd)
install(FILES ${kiosk_systemd}/onward.sysusers DESTINATION lib/sysusers.d RENAME onward.conf
	COMPONENT policyd)
install(FILES ${PROJECT_SOURCE_DIR}/services/policyd/onward-policyd.8
	${PROJECT_SOURCE_DIR}/services/onwardctl/onwardctl.8 DESTINATION share/man/man8
	COMPONENT policyd)
# The tablet's side of the estate (enrolment; the sync loop later): beside the daemon.
install(TARGETS onward-sync RUNTIME DESTINATION sbin COMPONENT policyd)
install(FILES ${PROJECT_SOURCE_DIR}/services/sync/onward-sync.8 DESTINATION share/man/man8
	COMPONENT policyd)

# onward-gateway (the establishment server, not the tablet)
if(TARGET onward-gateway)
	install(TARGETS onward-gateway RUNTIME DESTINATION sbin COMPONENT gateway)
	install(FILES ${PROJECT_SOURCE_DIR}/services/gateway/onward-gateway.8
		DESTINATION share/man/man8 COMPONENT gateway)
	install(FILES ${PROJECT_SOURCE_DIR}/services/gateway/onward-gateway.service
		DESTINATION lib/systemd/system COMPONENT gateway)
	install(FILES ${PROJECT_SOURCE_DIR}/services/gateway/onward-gateway.sysusers
		DESTINATION lib/sysusers.d RENAME onward-gateway.conf COMPONENT gateway)
endif()

# onward-kiosk
if(TARGET onward-shell)
	install(TARGETS onward-shell RUNTIME DESTINATION bin COMPONENT kiosk)
	install(FILES ${PROJECT_SOURCE_DIR}/shell/onward-shell.1 DESTINATION share/man/man1
		COMPONENT kiosk)
	install(DIRECTORY ${CMAKE_BINARY_DIR}/share/locale/ DESTINATION share/locale
		COMPONENT kiosk FILES_MATCHING PATTERN "*.mo" PATTERN "onward-ui-demo.mo" EXCLUDE)
endif()
install(TARGETS onward-launch onward-session RUNTIME DESTINATION ${ONWARD_LIBEXEC}
	COMPONENT kiosk)
# Each app in a directory of its own: the sandbox gives an app its own directory only.
foreach(app learning messages housing appointments)
	if(TARGET onward-app-${app})
		install(TARGETS onward-app-${app} RUNTIME DESTINATION ${ONWARD_LIBEXEC}/apps/${app}
			COMPONENT kiosk)
	endif()
endforeach()
install(PROGRAMS ${kiosk_packaging}/onward-register-apps ${kiosk_packaging}/onward-firstboot
	DESTINATION ${ONWARD_LIBEXEC} COMPONENT kiosk)
install(FILES ${kiosk_packaging}/apps.list DESTINATION share/onward COMPONENT kiosk)
install(FILES ${kiosk_systemd}/onward-session.service ${kiosk_systemd}/onward-firstboot.service
	DESTINATION lib/systemd/system COMPONENT kiosk)
install(FILES ${kiosk_systemd}/90-onward.preset DESTINATION lib/systemd/system-preset
	COMPONENT kiosk)
install(FILES ${kiosk_systemd}/logind-onward.conf DESTINATION lib/systemd/logind.conf.d
	RENAME onward.conf COMPONENT kiosk)
install(FILES ${kiosk_systemd}/sysctl-onward.conf DESTINATION lib/sysctl.d
	RENAME 60-onward.conf COMPONENT kiosk)
install(FILES ${kiosk_packaging}/kiosk.conf DESTINATION /etc/onward COMPONENT kiosk)

# The packages.
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
	set(deb_arch arm64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
	set(deb_arch amd64)
else()
	set(deb_arch ${CMAKE_SYSTEM_PROCESSOR})
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME onward)
set(CPACK_PACKAGE_VENDOR "Onward")
set(CPACK_PACKAGE_CONTACT "Onward maintainers <onward@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL policyd kiosk)
if(TARGET onward-gateway)
	list(APPEND CPACK_COMPONENTS_ALL gateway)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${ONWARD_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${deb_arch})
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/onward")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Debian's cage will not start without Xwayland (it starts it only when an X11 client
# connects; onward-session gives the shell no DISPLAY, so none does); seatd hands the
# session its screen and input. Dependencies are named, not computed: the arm64 programs
# are cross-built against a sysroot that dpkg-shlibdeps cannot see. tests/image checks
# that every library a program needs is installed by them.
set(CPACK_DEBIAN_POLICYD_PACKAGE_NAME onward-policyd)
set(CPACK_DEBIAN_POLICYD_DESCRIPTION "Onward policy daemon
onward-policyd, the broker of the Onward tablet: the only process that opens the store
and holds keys; it decides every request by policy and audits it. Course packs and other
outside files are parsed by its keyless, seccomp-confined child, onward-parse. With
onwardctl and onward-bundle for staff, the national policies and the daemon's systemd unit.")
set(CPACK_DEBIAN_POLICYD_PACKAGE_DEPENDS
	"libc6 (>= 2.36), libuv1, libssl3, libsqlcipher0, libjansson4, libzip4, libpng16-16, zlib1g, libmd4c0, libseccomp2, liboath0, libcurl4, systemd, procps, tzdata")
set(CPACK_DEBIAN_POLICYD_PACKAGE_CONTROL_EXTRA
	${kiosk_packaging}/policyd/postinst ${kiosk_packaging}/policyd/prerm)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME onward-kiosk)
set(CPACK_DEBIAN_KIOSK_DESCRIPTION "Onward kiosk session
The locked-down tablet session: cage running onward-shell under onward-session (which
restarts it, locked, when it ends or hangs), the apps, and onward-launch, which starts
each app in its own sandbox (namespaces, read-only mount tree, Landlock, seccomp).")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
	"onward-policyd (= ${PROJECT_VERSION}-${ONWARD_PACKAGE_RELEASE}), cage, xwayland, seatd, dbus, libc6 (>= 2.36), libseccomp2, libssl3, libjansson4, libuv1, libzip4, libpng16-16, zlib1g, libmd4c0, libsdl2-2.0-0, libsdl2-ttf-2.0-0, libsdl2-image-2.0-0, libfontconfig1, libespeak-ng1, libunibreak1, fonts-dejavu-core, espeak-ng-data")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA ${kiosk_packaging}/kiosk/postinst
	${kiosk_packaging}/kiosk/prerm ${kiosk_packaging}/kiosk/conffiles)
set(CPACK_DEBIAN_GATEWAY_PACKAGE_NAME onward-gateway)
set(CPACK_DEBIAN_GATEWAY_DESCRIPTION "Onward gateway
onward-gateway, the establishment server's HTTPS front (TLS 1.3, libmicrohttpd): tablets
by client certificate, staff by session; every call goes to onward-policyd's gateway.sock
with who made it. It holds only its TLS key.")
set(CPACK_DEBIAN_GATEWAY_PACKAGE_DEPENDS
	"onward-policyd (= ${PROJECT_VERSION}-${ONWARD_PACKAGE_RELEASE}), libc6 (>= 2.36), libmicrohttpd12, libgnutls30, libuv1, libjansson4, libssl3, systemd")
set(CPACK_DEBIAN_GATEWAY_PACKAGE_CONTROL_EXTRA
	${PROJECT_SOURCE_DIR}/services/gateway/packaging/postinst
	${PROJECT_SOURCE_DIR}/services/gateway/packaging/prerm)
include(CPack)
