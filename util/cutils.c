/*
 * Strict number parsing for option values.
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"

/* Digits only: strto*() would also skip white space and take a sign. */
static bool starts_with_digit(const char *s)
{
    return g_ascii_isdigit(s[0]);
}

bool qemu_strtou64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!starts_with_digit(s)) {
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

bool qemu_strtoi64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!starts_with_digit(s[0] == '-' ? s + 1 : s)) {
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 0);
    if (errno || *end) {
        return false;
    }
    *out = v;
    return true;
}

/* Power-of-two shift for a size suffix, or -1 when c is not one. */
static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 0;
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    case 'P':
        return 50;
    case 'E':
        return 60;
    default:
        return -1;
    }
}

/* Longest fraction honoured; further digits cannot change the result. */
#define SIZE_FRAC_DIGITS 18

/*
 * frac_digits * 2^shift / 10^n rounded half up, computed exactly in 128
 * bits (frac < 10^18 < 2^60 and shift <= 60).
 */
static uint64_t scaled_fraction(const char *digits, size_t n, int shift)
{
    unsigned __int128 num = 0;
    unsigned __int128 den = 1;

    n = MIN(n, SIZE_FRAC_DIGITS);
    for (size_t i = 0; i < n; i++) {
        num = num * 10 + (digits[i] - '0');
        den *= 10;
    }
    num <<= shift;
    return (uint64_t)((num * 2 + den) / (den * 2));
}

bool qemu_strtosz(const char *s, unsigned default_suffix_shift, uint64_t *out)
{
    const char *p = s;
    const char *frac = NULL;
    size_t int_len;
    size_t frac_len = 0;
    uint64_t val = 0;
    uint64_t extra = 0;
    int shift;

    int_len = strspn(p, "0123456789");
    if (int_len == 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        /* Hexadecimal takes no fraction and no suffix. */
        if (!qemu_strtou64(s, &val) ||
            val > (UINT64_MAX >> default_suffix_shift)) {
            return false;
        }
        *out = val << default_suffix_shift;
        return true;
    }
    if (int_len) {
        g_autofree char *ip = g_strndup(p, int_len);

        errno = 0;
        val = strtoull(ip, NULL, 10);
        if (errno) {
            return false;
        }
    }
    p += int_len;
    if (*p == '.') {
        frac = ++p;
        frac_len = strspn(p, "0123456789");
        p += frac_len;
    }
    if (int_len + frac_len == 0) {
        return false;
    }
    shift = *p ? suffix_shift(*p) : (int)default_suffix_shift;
    if (shift < 0 || (*p && p[1])) {
        return false;
    }
    /* A fraction of a byte is meaningless. */
    if (shift == 0 && frac) {
        return false;
    }
    if (frac) {
        extra = scaled_fraction(frac, frac_len, shift);
    }
    if (shift && val > (UINT64_MAX >> shift)) {
        return false;
    }
    val <<= shift;
    if (val > UINT64_MAX - extra) {
        return false;
    }
    *out = val + extra;
    return true;
}
