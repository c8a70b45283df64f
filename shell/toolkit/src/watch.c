/*
 * Descriptors watched for the UI thread (ui_app_watch_fd() in ui.h). SDL's loop can wait
 * for window events but not for a socket, so one small thread does the waiting: it polls
 * the watched descriptors and an eventfd, and when one is ready it posts a task
 * (ui_app_post) and stops polling until the UI thread has run the callbacks. The UI
 * thread polls again with no wait, calls the callbacks of what is ready and wakes the
 * thread through the eventfd. So the program never spins, the callbacks never race the
 * thread, and changing the set of watches only needs the lock and a wake-up.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ui_int.h"

struct watch {
	unsigned id; /* 0: free slot */
	int fd; /* borrowed: the caller's */
	short events;
	ui_fd_fn fn;
	void *userdata; /* borrowed: the caller's */
};

struct watcher {
	struct ui_app *app; /* borrowed: the owner */
	SDL_Thread *thread; /* owned */
	SDL_mutex *lock; /* owned; guards everything below */
	int wake_fd; /* owned: an eventfd, written to re-read the set or to stop */
	bool stop;
	bool posted; /* a dispatch task is queued: the thread waits for it to run */
	struct watch w[UI_MAX_WATCHES];
	unsigned next_id;
};

static void
wake(struct watcher *wt)
{
	uint64_t one = 1;
	ssize_t n;

	do
		n = write(wt->wake_fd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

/* On the UI thread: runs the callbacks of the watches that are ready now. */
static void
dispatch(struct ui_app *app, void *userdata)
{
	struct watcher *wt = userdata;
	struct watch copy[UI_MAX_WATCHES];
	struct pollfd pfd[UI_MAX_WATCHES];
	nfds_t n = 0;

	SDL_LockMutex(wt->lock);
	wt->posted = false;
	for (size_t i = 0; i < UI_MAX_WATCHES; i++) {
		if (wt->w[i].id && wt->w[i].events) {
			copy[n] = wt->w[i];
			pfd[n] = (struct pollfd){.fd = wt->w[i].fd, .events = wt->w[i].events};
			n++;
		}
	}
	SDL_UnlockMutex(wt->lock);
	if (n > 0 && poll(pfd, n, 0) > 0) {
		for (nfds_t i = 0; i < n; i++) {
			bool live = false;

			if (!pfd[i].revents)
				continue;
			/* An earlier callback may have removed this watch. */
			SDL_LockMutex(wt->lock);
			for (size_t j = 0; j < UI_MAX_WATCHES; j++)
				live = live || wt->w[j].id == copy[i].id;
			SDL_UnlockMutex(wt->lock);
			if (live)
				copy[i].fn(app, copy[i].fd, pfd[i].revents, copy[i].userdata);
		}
	}
	wake(wt);
}

static int
run(void *userdata)
{
	struct watcher *wt = userdata;

	for (;;) {
		struct pollfd pfd[UI_MAX_WATCHES + 1];
		nfds_t n = 1;
		bool ready = false, queued;

		pfd[0] = (struct pollfd){.fd = wt->wake_fd, .events = POLLIN};
		SDL_LockMutex(wt->lock);
		if (wt->stop) {
			SDL_UnlockMutex(wt->lock);
			return 0;
		}
		/* While a dispatch is queued, wait only for the UI thread's wake-up. */
		for (size_t i = 0; i < UI_MAX_WATCHES && !wt->posted; i++)
			if (wt->w[i].id && wt->w[i].events)
				pfd[n++] = (struct pollfd){.fd = wt->w[i].fd,
				                           .events = wt->w[i].events};
		SDL_UnlockMutex(wt->lock);

		if (poll(pfd, n, -1) < 0)
			continue; /* EINTR; nothing else can fail with these arguments */
		if (pfd[0].revents & POLLIN) {
			uint64_t count;

			(void)!read(wt->wake_fd, &count, sizeof(count));
		}
		for (nfds_t i = 1; i < n; i++)
			ready = ready || pfd[i].revents;
		if (!ready)
			continue;
		SDL_LockMutex(wt->lock);
		if (!wt->posted && !wt->stop && ui_app_post(wt->app, dispatch, wt) == 0)
			wt->posted = true;
		queued = wt->posted || wt->stop;
		SDL_UnlockMutex(wt->lock);
		if (!queued)
			SDL_Delay(10); /* SDL's queue is full: let the UI thread catch up */
	}
}

void
watcher_free(struct watcher *wt)
{
	if (!wt)
		return;
	if (wt->thread) {
		SDL_LockMutex(wt->lock);
		wt->stop = true;
		SDL_UnlockMutex(wt->lock);
		wake(wt);
		SDL_WaitThread(wt->thread, NULL);
	}
	if (wt->lock)
		SDL_DestroyMutex(wt->lock);
	if (wt->wake_fd >= 0)
		close(wt->wake_fd);
	free(wt);
}

static int
watcher_new(struct ui_app *app, struct watcher **ret)
{
	struct watcher *wt = calloc(1, sizeof(*wt));

	if (!wt)
		return -ENOMEM;
	wt->app = app;
	wt->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	wt->lock = SDL_CreateMutex();
	if (wt->wake_fd < 0 || !wt->lock) {
		watcher_free(wt);
		return -ENOMEM;
	}
	wt->thread = SDL_CreateThread(run, "onward-ui-watch", wt);
	if (!wt->thread) {
		watcher_free(wt);
		return -EAGAIN;
	}
	*ret = wt;
	return 0;
}

int
ui_app_watch_fd(struct ui_app *app, int fd, short events, ui_fd_fn fn, void *userdata,
                unsigned *ret_id)
{
	struct watcher *wt;
	int r = -ENOSPC;

	if (fd < 0)
		return -EBADF;
	if (!fn)
		return -EINVAL;
	if (!app->watcher) {
		r = watcher_new(app, &app->watcher);
		if (r < 0)
			return r;
		r = -ENOSPC;
	}
	wt = app->watcher;
	SDL_LockMutex(wt->lock);
	for (size_t i = 0; i < UI_MAX_WATCHES; i++) {
		if (wt->w[i].id)
			continue;
		if (++wt->next_id == 0)
			wt->next_id = 1;
		wt->w[i] = (struct watch){wt->next_id, fd, events, fn, userdata};
		if (ret_id)
			*ret_id = wt->next_id;
		r = 0;
		break;
	}
	SDL_UnlockMutex(wt->lock);
	if (r == 0)
		wake(wt);
	return r;
}

int
ui_app_watch_set_events(struct ui_app *app, unsigned id, short events)
{
	struct watcher *wt = app->watcher;
	int r = -ENOENT;

	if (!wt || id == 0)
		return -ENOENT;
	SDL_LockMutex(wt->lock);
	for (size_t i = 0; i < UI_MAX_WATCHES; i++) {
		if (wt->w[i].id == id) {
			r = wt->w[i].events == events ? 1 : 0;
			wt->w[i].events = events;
			break;
		}
	}
	SDL_UnlockMutex(wt->lock);
	if (r == 0)
		wake(wt);
	return r < 0 ? r : 0;
}

void
ui_app_unwatch_fd(struct ui_app *app, unsigned id)
{
	struct watcher *wt = app->watcher;

	if (!wt || id == 0)
		return;
	SDL_LockMutex(wt->lock);
	for (size_t i = 0; i < UI_MAX_WATCHES; i++)
		if (wt->w[i].id == id)
			wt->w[i] = (struct watch){0};
	SDL_UnlockMutex(wt->lock);
	wake(wt);
}
