/* header_alone.c - the public header compiles alone, pedantic C11. */
#include <cotlog.h>

int main(void)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	cot_buf b = COT_BUF_INIT;

	(void)b;
	return o.version == COT_ANALYZER_OPTIONS_VERSION &&
	       COT_VERSION_NUMBER > 0 ? 0 : 1;
}
