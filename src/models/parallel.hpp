// Deterministic parallel loops for the models: work is cut into blocks whose boundaries depend
// only on the problem size, each block writes its own result, and the caller combines block
// results in block order. The thread count changes only who computes a block, never the result.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace imbal::detail {

/// Calls fn(b) for b in [0, n_blocks) on up to n_threads threads (the calling thread included).
/// The first exception thrown by a block is rethrown after all threads stop.
template <class Fn>
void parallel_blocks(std::size_t n_blocks, int n_threads, Fn&& fn) {
  const std::size_t workers = std::min<std::size_t>(n_blocks, static_cast<std::size_t>(std::max(1, n_threads)));
  if (workers <= 1) {
    for (std::size_t b = 0; b < n_blocks; ++b) fn(b);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (;;) {
      const std::size_t b = next.fetch_add(1);
      if (b >= n_blocks) return;
      try {
        fn(b);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(n_blocks);
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

/// Rows per block for a row-wise reduction over n rows: at least `min_rows`, at most
/// `max_blocks` blocks. Depends on n only.
inline std::size_t block_rows(std::size_t n, std::size_t min_rows = 1024, std::size_t max_blocks = 256) {
  return std::max(min_rows, (n + max_blocks - 1) / max_blocks);
}

}  // namespace imbal::detail
