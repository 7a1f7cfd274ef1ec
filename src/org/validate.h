/* validate.h: checks of Chinese phone numbers, ID numbers and names. */
#ifndef XZ_VALIDATE_H
#define XZ_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Normalise a mobile number as typed ("100 1234 5678", "100-1234-5678",
 * "+86 100...") into 11 digits in "out" (12 bytes).  Returns 0, or -1 if
 * it is not 11 digits starting with 1.
 */
int	 phone_normalise(const char *in, char out[12]);
/* "100****5678" (12 bytes). */
void	 phone_mask(const char *digits, char out[12]);

/*
 * Check an 18-character resident ID number (GB 11643-1999): 17 digits, a
 * valid birth date, and the ISO 7064 MOD 11-2 check character (digit or
 * X, case-insensitive).  Normalises to upper case into "out" (19 bytes).
 */
int	 idno_normalise(const char *in, char out[19]);
/* "620000********1234" (19 bytes). */
void	 idno_mask(const char *idno, char out[19]);

/* "张*明", "张*" for a two-character name, in "out" (at least 64 bytes). */
void	 name_mask(const char *name, char *out, size_t n);

#endif
