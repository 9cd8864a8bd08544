/* version.c -- the version of the library actually linked, for the CLI's start-up check. */
#include "internal.h"

unsigned fair_version_number(void) { return FAIR_VERSION_NUMBER; }

const char *fair_version_string(void) { return FAIR_VERSION_STRING; }
