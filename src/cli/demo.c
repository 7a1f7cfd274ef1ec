/* demo.c: "xiangzhi demo": the demo township (being written). */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_demo(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "xiangzhi: demo is not built yet\n");
	return EXIT_USER;
}
