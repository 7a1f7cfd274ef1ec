/* import.c: "xiangzhi import": people from CSV (being written). */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_import(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "xiangzhi: import is not built yet\n");
	return EXIT_USER;
}
