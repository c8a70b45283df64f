# Cross-compiling Onward for 64-bit ARM tablets with Debian's cross compiler
# (gcc-aarch64-linux-gnu) against Debian's arm64 packages, either unpacked into a sysroot
# (-DONWARD_SYSROOT=DIR or the ONWARD_SYSROOT environment variable; scripts/cross-build.sh
# makes one with mmdebstrap) or, without one, installed on this machine as multiarch
# packages (dpkg --add-architecture arm64), which works only for packages that can be
# installed for two architectures at once (not libsqlcipher-dev or libunibreak-dev).
# ctest runs the tests through qemu-aarch64 (qemu-user).
#   cmake -S . -B build-arm64/test -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake \
#         -DONWARD_SYSROOT=$PWD/build-arm64/sysroot
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(ONWARD_TRIPLET aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${ONWARD_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${ONWARD_TRIPLET}-g++)

# ctest runs each test program through qemu-user; programs a test starts itself run
# through binfmt_misc (qemu-user-static), which scripts/cross-build.sh checks.
find_program(ONWARD_QEMU_AARCH64 qemu-aarch64)
if(ONWARD_QEMU_AARCH64)
	set(CMAKE_CROSSCOMPILING_EMULATOR ${ONWARD_QEMU_AARCH64})
endif()

if(NOT ONWARD_SYSROOT AND DEFINED ENV{ONWARD_SYSROOT})
	set(ONWARD_SYSROOT $ENV{ONWARD_SYSROOT})
endif()
set(ONWARD_SYSROOT "${ONWARD_SYSROOT}" CACHE PATH "arm64 sysroot (empty: multiarch packages)")
# try_compile() reads this file again in a project of its own: hand the sysroot on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ONWARD_SYSROOT)
if(ONWARD_SYSROOT)
	set(ENV{ONWARD_SYSROOT} ${ONWARD_SYSROOT})
endif()

if(ONWARD_SYSROOT)
	set(CMAKE_SYSROOT ${ONWARD_SYSROOT})
	set(ENV{PKG_CONFIG_SYSROOT_DIR} ${ONWARD_SYSROOT})
	set(ENV{PKG_CONFIG_LIBDIR}
		"${ONWARD_SYSROOT}/usr/lib/${ONWARD_TRIPLET}/pkgconfig:${ONWARD_SYSROOT}/usr/lib/pkgconfig:${ONWARD_SYSROOT}/usr/share/pkgconfig")
	set(CMAKE_FIND_ROOT_PATH ${ONWARD_SYSROOT})
	# Where the runtime loader looks, so qemu-aarch64 finds the sysroot's libraries.
	set(ENV{QEMU_LD_PREFIX} ${ONWARD_SYSROOT})
else()
	set(ENV{PKG_CONFIG_LIBDIR}
		"/usr/lib/${ONWARD_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
	set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
	set(CMAKE_FIND_ROOT_PATH /usr/${ONWARD_TRIPLET})
endif()
# The arm64 pkg-config answers, never the machine's own.
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_LIBRARY_ARCHITECTURE ${ONWARD_TRIPLET})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
