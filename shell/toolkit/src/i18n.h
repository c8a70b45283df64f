/*
 * Translation through gettext. The toolkit's own strings live in the "onward-ui" domain;
 * a program's widget texts in its own domain (ui_app_config.text_domain). Switching
 * language at run time sets LANGUAGE and tells gettext its catalogues changed; the app
 * then re-lays out every screen, whose widgets translate their message ids as they draw.
 */
#ifndef ONWARD_UI_I18N_H
#define ONWARD_UI_I18N_H

#define I18N_TOOLKIT_DOMAIN "onward-ui"

/* Binds the toolkit's and the program's domains to `locale_dir` and makes sure message
 * catalogues are used even when the process locale is "C". */
int i18n_init(const char *domain, const char *locale_dir);
/* Switches every domain to `language` ("en", "cy"); -EINVAL for a malformed code. */
int i18n_set_language(const char *language);
/* `msgid` in `domain`, falling back to the toolkit's domain. */
const char *i18n_tr(const char *domain, const char *msgid);

#endif
