/* fairaudit/export.h -- symbol visibility for the public API. */
#ifndef FAIR_EXPORT_H
#define FAIR_EXPORT_H
#if defined(__GNUC__) || defined(__clang__)
#define FAIR_API __attribute__((visibility("default")))
#else
#define FAIR_API
#endif
#endif /* FAIR_EXPORT_H */
