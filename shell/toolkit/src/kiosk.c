/*
 * The kiosk rule: keys that would leave or switch the session (Alt+Tab, Alt+F4,
 * Ctrl+Alt+F-keys, the Super keys) and the window manager's close and quit requests do
 * nothing. The compositor (cage) is the real lock; this filter makes sure the program
 * itself never reacts to them either, whatever window system it runs under.
 */
#include "onward/ui.h"

static bool
is_fkey(SDL_Keycode k)
{
	return (k >= SDLK_F1 && k <= SDLK_F12) || (k >= SDLK_F13 && k <= SDLK_F24);
}

bool
ui_kiosk_filter(const SDL_Event *event, bool allow_quit)
{
	switch (event->type) {
	case SDL_QUIT:
	case SDL_APP_TERMINATING:
		return !allow_quit;
	case SDL_WINDOWEVENT:
		return event->window.event == SDL_WINDOWEVENT_CLOSE && !allow_quit;
	case SDL_KEYDOWN:
	case SDL_KEYUP: {
		SDL_Keycode k = event->key.keysym.sym;
		Uint16 mod = event->key.keysym.mod;

		if (k == SDLK_LGUI || k == SDLK_RGUI || k == SDLK_APPLICATION || k == SDLK_MENU ||
		    (mod & KMOD_GUI))
			return true;
		if ((mod & KMOD_ALT) && (k == SDLK_TAB || k == SDLK_F4 || k == SDLK_ESCAPE))
			return true;
		if ((mod & KMOD_CTRL) && (mod & KMOD_ALT) &&
		    (is_fkey(k) || k == SDLK_DELETE || k == SDLK_BACKSPACE))
			return true;
		return false;
	}
	default:
		return false;
	}
}
