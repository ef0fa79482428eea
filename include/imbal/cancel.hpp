// Cooperative cancellation: a caller on another thread (the Python module's Ctrl-C handler)
// requests it; long-running loops (the neighbour engine's chunk queue, the sampler and model
// template methods) call throw_if_cancelled() and unwind with imbal::Cancelled. The flag is
// process-wide: a request cancels every run in flight. The CLI never requests it.
#pragma once

#include "imbal/error.hpp"

namespace imbal {

/// Thrown by throw_if_cancelled() once cancellation was requested.
class Cancelled : public RuntimeError {
 public:
  Cancelled() : RuntimeError("cancelled") {}
};

/// Asks every run in flight to stop at its next check.
void request_cancel() noexcept;
/// Clears a request (call before starting a new run).
void clear_cancel() noexcept;
bool cancel_requested() noexcept;
/// Throws Cancelled when cancellation was requested.
void throw_if_cancelled();

}  // namespace imbal
