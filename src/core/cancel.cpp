// Cooperative cancellation (include/imbal/cancel.hpp): one process-wide atomic flag.
#include "imbal/cancel.hpp"

#include <atomic>

namespace imbal {

namespace {
std::atomic<bool> g_cancel{false};
}  // namespace

void request_cancel() noexcept { g_cancel.store(true, std::memory_order_relaxed); }
void clear_cancel() noexcept { g_cancel.store(false, std::memory_order_relaxed); }
bool cancel_requested() noexcept { return g_cancel.load(std::memory_order_relaxed); }
void throw_if_cancelled() {
  if (cancel_requested()) throw Cancelled();
}

}  // namespace imbal
