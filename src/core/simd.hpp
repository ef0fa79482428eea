// GCC vector types for the hand-vectorised kernels (the brute-force k-NN scan, the k-means++
// scan). Each kernel is instantiated per instruction set inside a target-attributed wrapper and
// picked at run time (__builtin_cpu_supports).
#pragma once

#include <cstddef>

namespace imbal::simd {

/// GCC vector type of W elements of E (a dependent vector_size must go through a class template).
template <class E, std::size_t W>
struct VectorOf {
  typedef E type __attribute__((vector_size(W * sizeof(E))));
};
using V8 = VectorOf<double, 8>::type;
using V4 = VectorOf<double, 4>::type;
using V2 = VectorOf<double, 2>::type;
using F16 = VectorOf<float, 16>::type;
using F8 = VectorOf<float, 8>::type;
using F4 = VectorOf<float, 4>::type;

}  // namespace imbal::simd
