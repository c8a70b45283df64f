/*
 * The speech thread of speech.h. espeak-ng is not thread-safe, so every espeak call is
 * made on this thread, in its synchronous mode: the synth callback collects samples into
 * a buffer, which then goes to the WAV file or to an SDL audio device opened on first
 * use. A newer request sets `cancel`, which the callback and the playback wait both
 * watch, so the thread is never more than one audio buffer away from the newest text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include "speech.h"

struct speech {
	SDL_Thread *thread; /* owned */
	SDL_mutex *lock; /* owned; guards the fields below it */
	SDL_cond *wake; /* owned */
	char *pending; /* owned: text waiting for the thread; NULL when none */
	char language[16];
	bool busy;
	bool quit;
	bool failed;
	unsigned done;
	SDL_atomic_t cancel; /* set by the UI thread, read by the speech thread */

	/* The speech thread's own. */
	char *wav_path; /* owned */
	int16_t *samples; /* owned */
	size_t n_samples;
	size_t cap_samples;
	int rate;
	SDL_AudioDeviceID audio;
	char voice[16];
};

static int
on_synth(short *wav, int n, espeak_EVENT *events)
{
	struct speech *s = events ? events->user_data : NULL;

	if (!s || SDL_AtomicGet(&s->cancel))
		return 1;
	if (wav && n > 0) {
		if (s->n_samples + (size_t)n > s->cap_samples) {
			size_t cap = s->cap_samples ? s->cap_samples * 2 : 65536;
			int16_t *p;

			while (cap < s->n_samples + (size_t)n)
				cap *= 2;
			/* Ten minutes of audio is more than any label needs. */
			if (cap > (size_t)s->rate * 600)
				return 1;
			p = realloc(s->samples, cap * sizeof(*p));
			if (!p)
				return 1;
			s->samples = p;
			s->cap_samples = cap;
		}
		memcpy(s->samples + s->n_samples, wav, (size_t)n * sizeof(*wav));
		s->n_samples += (size_t)n;
	}
	return 0;
}

static void
put_le(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int
write_wav(const char *path, const int16_t *samples, size_t n, int rate)
{
	char tmp[4096];
	unsigned char h[44];
	uint32_t data = (uint32_t)(n * 2);
	FILE *f;
	int r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(h, "RIFF", 4);
	put_le(h + 4, 36 + data, 4);
	memcpy(h + 8, "WAVEfmt ", 8);
	put_le(h + 16, 16, 4);
	put_le(h + 20, 1, 2); /* PCM */
	put_le(h + 22, 1, 2); /* mono */
	put_le(h + 24, (uint32_t)rate, 4);
	put_le(h + 28, (uint32_t)rate * 2, 4);
	put_le(h + 32, 2, 2);
	put_le(h + 34, 16, 2);
	memcpy(h + 36, "data", 4);
	put_le(h + 40, data, 4);
	f = fopen(tmp, "wb");
	if (!f)
		return -errno;
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h) || fwrite(samples, 2, n, f) != n)
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r < 0)
		remove(tmp);
	return r;
}

static void
play(struct speech *s)
{
	SDL_AudioSpec want = {0}, have;

	if (!s->audio) {
		if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
			goto fail;
		want.freq = s->rate;
		want.format = AUDIO_S16SYS;
		want.channels = 1;
		want.samples = 2048;
		s->audio = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
		if (!s->audio)
			goto fail;
	}
	SDL_ClearQueuedAudio(s->audio);
	if (SDL_QueueAudio(s->audio, s->samples, (Uint32)(s->n_samples * 2)) != 0)
		goto fail;
	SDL_PauseAudioDevice(s->audio, 0);
	while (SDL_GetQueuedAudioSize(s->audio) > 0 && !SDL_AtomicGet(&s->cancel))
		SDL_Delay(20);
	if (SDL_AtomicGet(&s->cancel))
		SDL_ClearQueuedAudio(s->audio);
	return;
fail:
	SDL_LockMutex(s->lock);
	s->failed = true;
	SDL_UnlockMutex(s->lock);
}

static void
set_voice(struct speech *s, const char *language)
{
	espeak_VOICE v = {0};

	if (strcmp(s->voice, language) == 0)
		return;
	v.languages = language;
	if (espeak_SetVoiceByProperties(&v) != EE_OK)
		espeak_SetVoiceByName("en");
	snprintf(s->voice, sizeof(s->voice), "%s", language);
}

static int
run(void *arg)
{
	struct speech *s = arg;
	bool ok;

	s->rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
	ok = s->rate > 0;
	if (ok)
		espeak_SetSynthCallback(on_synth);
	SDL_LockMutex(s->lock);
	if (!ok)
		s->failed = true;
	for (;;) {
		char *text, language[16];

		while (!s->quit && !s->pending)
			SDL_CondWait(s->wake, s->lock);
		if (s->quit)
			break;
		text = s->pending;
		s->pending = NULL;
		memcpy(language, s->language, sizeof(language));
		SDL_AtomicSet(&s->cancel, 0);
		SDL_UnlockMutex(s->lock);

		if (ok) {
			s->n_samples = 0;
			set_voice(s, language);
			espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
			             NULL, s);
			if (!SDL_AtomicGet(&s->cancel) && s->n_samples > 0) {
				if (s->wav_path) {
					if (write_wav(s->wav_path, s->samples, s->n_samples,
					              s->rate) < 0) {
						SDL_LockMutex(s->lock);
						s->failed = true;
						SDL_UnlockMutex(s->lock);
					}
				} else {
					play(s);
				}
			}
		}
		free(text);
		SDL_LockMutex(s->lock);
		if (!s->pending) {
			s->busy = false;
			s->done++;
		}
	}
	SDL_UnlockMutex(s->lock);
	if (s->audio)
		SDL_CloseAudioDevice(s->audio);
	if (ok)
		espeak_Terminate();
	return 0;
}

int
speech_new(const char *wav_path, struct speech **ret_speech)
{
	struct speech *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->lock = SDL_CreateMutex();
	s->wake = SDL_CreateCond();
	if (wav_path)
		s->wav_path = strdup(wav_path);
	if (!s->lock || !s->wake || (wav_path && !s->wav_path))
		goto fail;
	s->thread = SDL_CreateThread(run, "onward-speech", s);
	if (!s->thread)
		goto fail;
	*ret_speech = s;
	return 0;
fail:
	speech_free(s);
	return -ENOMEM;
}

void
speech_free(struct speech *s)
{
	if (!s)
		return;
	if (s->thread) {
		SDL_LockMutex(s->lock);
		s->quit = true;
		SDL_AtomicSet(&s->cancel, 1);
		SDL_CondSignal(s->wake);
		SDL_UnlockMutex(s->lock);
		SDL_WaitThread(s->thread, NULL);
	}
	if (s->lock)
		SDL_DestroyMutex(s->lock);
	if (s->wake)
		SDL_DestroyCond(s->wake);
	free(s->pending);
	free(s->samples);
	free(s->wav_path);
	free(s);
}

int
speech_say(struct speech *s, const char *text, const char *language)
{
	size_t n = strlen(text);
	char *copy;

	if (n > SPEECH_MAX_TEXT)
		n = SPEECH_MAX_TEXT;
	copy = malloc(n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, n);
	copy[n] = '\0';
	SDL_LockMutex(s->lock);
	free(s->pending);
	s->pending = copy;
	snprintf(s->language, sizeof(s->language), "%s", language ? language : "en");
	s->busy = true;
	SDL_AtomicSet(&s->cancel, 1);
	SDL_CondSignal(s->wake);
	SDL_UnlockMutex(s->lock);
	return 0;
}

bool
speech_busy(struct speech *s)
{
	bool b;

	SDL_LockMutex(s->lock);
	b = s->busy;
	SDL_UnlockMutex(s->lock);
	return b;
}

unsigned
speech_done_count(struct speech *s)
{
	unsigned d;

	SDL_LockMutex(s->lock);
	d = s->done;
	SDL_UnlockMutex(s->lock);
	return d;
}

bool
speech_failed(struct speech *s)
{
	bool f;

	SDL_LockMutex(s->lock);
	f = s->failed;
	SDL_UnlockMutex(s->lock);
	return f;
}
