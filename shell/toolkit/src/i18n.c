/*
 * gettext set-up and run-time language switching (i18n.h). GNU gettext ignores LANGUAGE
 * when LC_MESSAGES is "C", so a process started without a locale gets C.UTF-8 for
 * messages, which glibc always has and which lets LANGUAGE choose the catalogue.
 */
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

int
i18n_init(const char *domain, const char *locale_dir)
{
	const char *cur;

	setlocale(LC_ALL, "");
	cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	if (!bindtextdomain(I18N_TOOLKIT_DOMAIN, locale_dir) ||
	    !bind_textdomain_codeset(I18N_TOOLKIT_DOMAIN, "UTF-8"))
		return -ENOMEM;
	if (strcmp(domain, I18N_TOOLKIT_DOMAIN) != 0 &&
	    (!bindtextdomain(domain, locale_dir) || !bind_textdomain_codeset(domain, "UTF-8")))
		return -ENOMEM;
	return 0;
}

static bool
valid_language(const char *l)
{
	size_t n = strlen(l);

	if (n < 2 || n > 15)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = l[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int
i18n_set_language(const char *language)
{
	const char *cur;

	if (!language || !valid_language(language))
		return -EINVAL;
	if (setenv("LANGUAGE", language, 1) != 0)
		return -errno;
	/* Setting the current text domain again is gettext's documented way of saying that
	 * the environment changed: it drops the translations it had looked up. */
	cur = textdomain(NULL);
	textdomain(cur ? cur : "messages");
	return 0;
}

const char *
i18n_tr(const char *domain, const char *msgid)
{
	const char *t;

	if (!msgid || !msgid[0])
		return msgid ? msgid : "";
	t = dgettext(domain, msgid);
	if (t == msgid && strcmp(domain, I18N_TOOLKIT_DOMAIN) != 0)
		t = dgettext(I18N_TOOLKIT_DOMAIN, msgid);
	return t;
}
