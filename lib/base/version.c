/* version.c - the version of the library that runs. */
#include "base/internal.h"

const char *cot_version(void)
{
	return COT_VERSION_STRING;
}
