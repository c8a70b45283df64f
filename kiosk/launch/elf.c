/*
 * The program interpreter of the app's binary (its PT_INTERP, for example
 * /lib64/ld-linux-x86-64.so.2), read from the checked descriptor. The kernel opens that
 * file to execute the app, so Landlock must allow executing it, and nothing else beside
 * the app's own program. Only 64-bit ELF files of this machine are accepted: that is all
 * the tablet runs, and it keeps the parsing to one small, bounded format.
 */
#include "launch.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ELF_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define ELF_MACHINE EM_AARCH64
#else
#error "onward-launch: add this machine's ELF e_machine"
#endif

#define MAX_PHNUM 256

static int
read_exact(int fd, void *buf, size_t n, off_t at)
{
	ssize_t got = pread(fd, buf, n, at);

	if (got < 0)
		return -errno;
	return (size_t)got == n ? 0 : -ENOEXEC;
}

int
elf_interpreter(int fd, char *ret_path, size_t size)
{
	Elf64_Ehdr eh;
	int r = read_exact(fd, &eh, sizeof(eh), 0);

	if (r < 0)
		return r;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != ELF_MACHINE || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		r = read_exact(fd, &ph, sizeof(ph),
		               (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof(ph)));
		if (r < 0)
			return r;
		if (ph.p_type != PT_INTERP)
			continue;
		/* A NUL-terminated absolute path that fits. */
		if (ph.p_filesz < 2 || ph.p_filesz > size || ph.p_filesz > PATH_MAX)
			return -ENOEXEC;
		r = read_exact(fd, ret_path, ph.p_filesz, (off_t)ph.p_offset);
		if (r < 0)
			return r;
		if (ret_path[ph.p_filesz - 1] != '\0' || ret_path[0] != '/' ||
		    strlen(ret_path) != ph.p_filesz - 1)
			return -ENOEXEC;
		return 0;
	}
	if (size > 0)
		ret_path[0] = '\0';
	return 0;
}
