// The configuration the openfhe PyPI wheel's libraries were built with (OpenFHE's defaults).
#ifndef __CMAKE_GENERATED_CONFIG_CORE_H__
#define __CMAKE_GENERATED_CONFIG_CORE_H__
#define WITH_BE4
#define WITH_OPENMP
#define CKKS_M_FACTOR 1
#define HAVE_INT128 TRUE
#define HAVE_INT64 TRUE
#define MATHBACKEND 4
#define NATIVEINT 64
#endif
