// A monotonic stopwatch that synchronizes the device before every reading.
#pragma once

#include "probes/device.h"

#include <chrono>

namespace bsweep {

class Stopwatch {
 public:
  explicit Stopwatch(c10::Device device) : device_(device) {}
  void start() {
    synchronize(device_);
    started_ = Clock::now();
    running_ = true;
  }
  void stop() {
    synchronize(device_);
    if (running_) total_ += Clock::now() - started_;
    running_ = false;
  }
  double seconds() const { return std::chrono::duration<double>(total_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  c10::Device device_;
  Clock::time_point started_{};
  Clock::duration total_{};
  bool running_ = false;
};

}  // namespace bsweep
