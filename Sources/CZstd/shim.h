#ifndef DOMINO_CZSTD_SHIM_H
#define DOMINO_CZSTD_SHIM_H
// Exposes the advanced API (skippable frames, frame inspection) of the system libzstd.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
#endif
