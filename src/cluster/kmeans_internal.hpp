// For tests: k-means's internals that the public header does not show.
#pragma once

namespace imbal::detail {

/// Forces the k-means++ scan kernel: 1 = SSE2 (baseline), 2 = AVX2, 3 = AVX-512 (each at most
/// what the CPU has), 0 = the best. Returns the kernel that will run.
int set_kmeans_kernel_for_testing(int kernel);

}  // namespace imbal::detail
