/* fixture.h - a group fixture: the default analyzer and a result for it
 * (defined in util.c): cmocka_run_group_tests(tests, az_setup,
 * az_teardown), then az and res in every test. */
#ifndef COTLOG_TESTS_FIXTURE_H
#define COTLOG_TESTS_FIXTURE_H

#include "cotlog.h"

extern cot_analyzer *az;
extern cot_result *res;
int az_setup(void **state);
int az_teardown(void **state);

#endif
