/* floor.c — the benchmark's floor: parse a CSV file with libcsv and do
 * nothing else (count fields and records), one thread.  Nothing grouprev
 * does can be faster than this on one core. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct counts {
	unsigned long long fields, records;
};

static void on_field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	((struct counts *)data)->fields++;
}

static void on_record(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int main(int argc, char **argv)
{
	struct csv_parser p;
	struct counts c = { 0, 0 };
	struct stat st;
	int fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "usage: floor FILE.csv\n");
		return 2;
	}
	const char *buf = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (buf == MAP_FAILED)
		return 2;
	csv_init(&p, CSV_APPEND_NULL);
	csv_parse(&p, buf, (size_t)st.st_size, on_field, on_record, &c);
	csv_fini(&p, on_field, on_record, &c);
	csv_free(&p);
	printf("%llu records, %llu fields\n", c.records, c.fields);
	return 0;
}
