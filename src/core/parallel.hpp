// Runs the same work on several threads (the caller's thread included) and rethrows the first
// exception any of them raised, after all have finished. The work shares its queue of tasks
// (an atomic counter, a ChunkQueue, ...) so results never depend on the thread count.
#pragma once

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace imbal::detail {

/// Calls work() on n_threads threads (n_threads <= 1: once, on this thread).
template <class Work>
void run_on_threads(std::size_t n_threads, Work&& work) {
  if (n_threads <= 1) {
    work();
    return;
  }
  std::vector<std::exception_ptr> errors(n_threads);
  std::vector<std::thread> threads;
  threads.reserve(n_threads - 1);
  for (std::size_t t = 1; t < n_threads; ++t) {
    threads.emplace_back([&, t] {
      try {
        work();
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  try {
    work();
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace imbal::detail
