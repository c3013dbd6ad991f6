/* hub.c - where the local Hugging Face cache keeps a model's file.
 *
 * The layout is the one huggingface_hub writes and every library of the
 * hub reads (https://huggingface.co/docs/hub/local-cache):
 * CACHE/models--OWNER--NAME/refs/main holds the commit the main branch
 * pointed at when downloaded, and snapshots/COMMIT/FILE the file (a
 * link into blobs/). Nothing here downloads. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text/hub.h"

/* A model id as the hub writes them: NAME or OWNER/NAME, each part of
 * letters, digits, '-', '_' and '.', not starting with '.' or '-'
 * (so that the id cannot climb out of the cache). */
bool cot__hub_is_model_id(const char *id)
{
	size_t part = 0, slashes = 0;

	for (const char *p = id;; p++) {
		if (*p == '/' || !*p) {
			if (part == 0)
				return false;
			if (!*p)
				return true;
			if (++slashes > 1)
				return false;
			part = 0;
			continue;
		}
		if (part == 0 && (*p == '.' || *p == '-'))
			return false;
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_' &&
		    *p != '.')
			return false;
		part++;
	}
}

/* The cache folder: $HF_HUB_CACHE, $HF_HOME/hub,
 * $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub, as
 * huggingface_hub's constants.py chooses it. */
static int cache_dir(cot__sbuf *b)
{
	const char *v;

	if ((v = getenv("HF_HUB_CACHE")) && *v)
		return cot__sbuf_addf(b, "%s", v);
	if ((v = getenv("HF_HOME")) && *v)
		return cot__sbuf_addf(b, "%s/hub", v);
	if ((v = getenv("XDG_CACHE_HOME")) && *v)
		return cot__sbuf_addf(b, "%s/huggingface/hub", v);
	if ((v = getenv("HOME")) && *v)
		return cot__sbuf_addf(b, "%s/.cache/huggingface/hub", v);
	return cot__sbuf_addf(b, "~/.cache/huggingface/hub");
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The commit refs/main names, into commit (cap bytes); false when the
 * ref is missing or is not a plain hex name. */
static bool main_ref(const char *repo, char *commit, size_t cap)
{
	char path[4096];
	size_t n = 0;
	FILE *f;
	int c;

	if ((size_t)snprintf(path, sizeof path, "%s/refs/main", repo) >=
	    sizeof path || !(f = fopen(path, "r")))
		return false;
	while ((c = getc(f)) != EOF && n + 1 < cap &&
	       ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
		commit[n++] = (char)c;
	fclose(f);
	commit[n] = '\0';
	return n > 0 && (c == EOF || c == '\n' || c == '\r' || c == ' ');
}

/* Without refs/main: the one snapshot that holds file. *found counts
 * them (0, 1, or 2 for "more than one"). */
static int only_snapshot(cot__sbuf *out, const char *repo, const char *file,
			 int *found)
{
	char dir[4096], path[4096];
	struct dirent *e;
	DIR *d;
	int rc = COT_OK;

	*found = 0;
	if ((size_t)snprintf(dir, sizeof dir, "%s/snapshots", repo) >=
	    sizeof dir || !(d = opendir(dir)))
		return COT_OK;
	while (!rc && *found < 2 && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof path, "%s/%s/%s", dir,
				     e->d_name, file) >= sizeof path ||
		    !is_file(path))
			continue;
		if (++*found == 1) {
			out->size = 0;
			rc = cot__sbuf_addf(out, "%s", path);
		}
	}
	closedir(d);
	return rc;
}

int cot__hub_find(cot__sbuf *out, const char *id, const char *file,
		  cot_error *err)
{
	cot__sbuf repo = COT_BUF_INIT;
	char commit[128];
	int rc, found = 0;
	const char *slash = strchr(id, '/');

	if (!cot__hub_is_model_id(id))
		return cot__error_set(err, COT_EIO, 0, 0,
				      "no file '%.200s', and it is no model id "
				      "(OWNER/NAME)", id);
	if ((rc = cache_dir(&repo)) ||
	    (rc = cot__sbuf_addf(&repo, "/models--")) ||
	    (rc = slash ? cot__sbuf_addf(&repo, "%.*s--%s",
					 (int)(slash - id), id, slash + 1) :
			  cot__sbuf_addf(&repo, "%s", id)))
		goto done;
	out->size = 0;
	/* the commit main names, as huggingface_hub reads the cache: an
	 * older snapshot is not taken instead */
	if (main_ref(repo.ptr, commit, sizeof commit)) {
		if ((rc = cot__sbuf_addf(out, "%s/snapshots/%s/%s", repo.ptr,
					 commit, file)))
			goto done;
		if (is_file(out->ptr))
			goto done;
		rc = cot__error_set(err, COT_EIO, 0, 0,
				    "the snapshot of %s that refs/main names "
				    "(%.150s/snapshots/%s) has no %s; download "
				    "it with `hf download %s %s`, or give the "
				    "file's path", id, repo.ptr, commit, file,
				    id, file);
		goto done;
	}
	if ((rc = only_snapshot(out, repo.ptr, file, &found)))
		goto done;
	if (found == 1)
		goto done;
	if (found)
		rc = cot__error_set(err, COT_EIO, 0, 0,
				    "several snapshots of %s in %.150s hold "
				    "%s and refs/main names none of them: "
				    "give the file's path", id, repo.ptr,
				    file);
	else
		rc = cot__error_set(err, COT_EIO, 0, 0,
				    "no %s of model %s in the Hugging Face "
				    "cache (%.150s); download it with `hf "
				    "download %s %s`, or give the file's path",
				    file, id, repo.ptr, id, file);
done:
	if (rc == COT_ENOMEM)
		cot__error_set(err, rc, 0, 0, "out of memory");
	cot__sbuf_dispose(&repo);
	return rc;
}
