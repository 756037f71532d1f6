/* colmap.c — a column-map file through GKeyFile, with line numbers
 * (colmap.h). */
#include "io/colmap.h"

#include <glib.h>
#include <string.h>

/* One line of the file as the scanner saw it. */
enum kind { K_BLANK, K_GROUP, K_KEY, K_OTHER };

/* Classify the line [S, E) the way GKeyFile does (leading white space
 * ignored; `#` starts a comment; `[name]` a group; `key=value`), with
 * the group name or key in [*A, *B). */
static enum kind classify(const char *s, const char *e, const char **a,
			  const char **b)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (s == e || *s == '#')
		return K_BLANK;
	if (*s == '[') {
		if (e[-1] != ']')
			return K_OTHER;
		*a = s + 1;
		*b = e - 1;
		return K_GROUP;
	}
	const char *eq = memchr(s, '=', (size_t)(e - s));
	if (!eq)
		return K_OTHER;
	*a = s;
	*b = eq;
	while (*b > *a && ((*b)[-1] == ' ' || (*b)[-1] == '\t'))
		(*b)--;
	return *b > *a ? K_KEY : K_OTHER;
}

/* The line of the first line GKeyFile would refuse: the first line that
 * is not blank, a comment, a group or a key (or a key before any
 * group). */
static size_t first_bad_line(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t line = 1;
	int groups = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *a, *b;
		enum kind k = classify(p, e, &a, &b);
		if (k == K_OTHER || (k == K_KEY && !groups))
			return line;
		if (k == K_GROUP)
			groups++;
		p = nl ? nl + 1 : end;
		line++;
	}
	return 0;
}

static char *trimmed(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	while (*s == ' ' || *s == '\t') {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return arena_strndup(a, s, n);
}

int colmap_parse(struct colmap *m, const char *path, const char *text,
		 size_t len, struct arena *a, struct gr_err *err)
{
	GKeyFile *kf = NULL;
	GError *ge = NULL;
	int rc = -1;
	size_t nlines = 1;

	memset(m, 0, sizeof *m);
	m->path = path;
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		const char *bad;
		g_utf8_validate(text, (gssize)len, &bad);
		size_t line = 1;
		for (const char *p = text; p < bad; p++)
			line += *p == '\n';
		return gr_fail(err, path, line, "the map is not UTF-8 text (save it as "
			       "UTF-8; the export itself may be in any encoding: "
			       "[file] encoding = ...)");
	}
	for (size_t i = 0; i < len; i++)
		nlines += text[i] == '\n';
	kf = g_key_file_new();
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &ge)) {
		size_t line = first_bad_line(text, len);
		if (ge->code == G_KEY_FILE_ERROR_GROUP_NOT_FOUND)
			rc = gr_fail(err, path, line, "a map starts with a group, e.g. "
				     "[columns], before its first key");
		else
			rc = gr_fail(err, path, line, "%s", ge->message);
		goto out;
	}

	/* The scanner's view: every group and key line, in file order. */
	m->groups = arena_alloc(a, nlines * sizeof *m->groups);
	m->items = arena_alloc(a, nlines * sizeof *m->items);
	if (!m->groups || !m->items) {
		rc = gr_fail(err, path, 0, "out of memory");
		goto out;
	}
	const char *p = text, *end = text + len;
	size_t line = 1;
	struct colmap_group *g = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *ka, *kb;
		enum kind k = classify(p, e, &ka, &kb);
		if (k == K_GROUP) {
			char *name = arena_strndup(a, ka, (size_t)(kb - ka));
			if (!name) {
				rc = gr_fail(err, path, line, "out of memory");
				goto out;
			}
			for (size_t i = 0; i < m->ngroups; i++)
				if (strcmp(m->groups[i].name, name) == 0) {
					rc = gr_fail(err, path, line, "group [%s] is given "
						     "twice (first on line %zu): put its keys "
						     "under one", name, m->groups[i].line);
					goto out;
				}
			g = &m->groups[m->ngroups++];
			g->name = name;
			g->line = line;
			g->first = m->nitems;
		} else if (k == K_KEY && g) {
			char *key = arena_strndup(a, ka, (size_t)(kb - ka));
			if (!key) {
				rc = gr_fail(err, path, line, "out of memory");
				goto out;
			}
			if (strchr(key, '[') || strchr(key, ']')) {
				rc = gr_fail(err, path, line, "key '%s' in [%s]: a key may "
					     "not hold '[' or ']'", key, g->name);
				goto out;
			}
			for (size_t i = g->first; i < m->nitems; i++)
				if (strcmp(m->items[i].key, key) == 0) {
					rc = gr_fail(err, path, line, "key '%s' is given twice "
						     "in [%s] (first on line %zu)", key, g->name,
						     m->items[i].line);
					goto out;
				}
			struct colmap_item *it = &m->items[m->nitems++];
			it->group = g->name;
			it->key = key;
			it->line = line;
			g->count++;
			/* The value as GKeyFile reads it, escapes applied. */
			gchar *v = g_key_file_get_string(kf, g->name, key, &ge);
			if (!v) {
				rc = gr_fail(err, path, line, "key '%s' in [%s]: %s", key,
					     g->name, ge ? ge->message : "cannot be read");
				goto out;
			}
			it->value = trimmed(a, v);
			g_free(v);
			if (!it->value) {
				rc = gr_fail(err, path, line, "out of memory");
				goto out;
			}
		}
		p = nl ? nl + 1 : end;
		line++;
	}
	rc = 0;
out:
	if (ge)
		g_error_free(ge);
	g_key_file_free(kf);
	return rc;
}

int colmap_read(struct colmap *m, const char *path, struct arena *a,
		struct gr_err *err)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *ge = NULL;

	if (!g_file_get_contents(path, &text, &len, &ge)) {
		int rc = gr_fail(err, path, 0, "cannot read the map: %s", ge->message);
		g_error_free(ge);
		return rc;
	}
	int rc = colmap_parse(m, path, text, len, a, err);
	g_free(text);
	return rc;
}

const struct colmap_group *colmap_group(const struct colmap *m, const char *name)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (strcmp(m->groups[i].name, name) == 0)
			return &m->groups[i];
	return NULL;
}
